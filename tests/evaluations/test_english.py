"""English for the users who chose it: the API's refusals and the convocation mails (sent in
the language of the request that scheduled them); French stays the default."""

import html
import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation

from .factories import agreed_dossier, declare, seated_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _french_again():
    """A request with the English cookie leaves English active in this thread: restore the
    default so that the next tests, which call services directly, get French again."""
    yield
    translation.deactivate()


def test_grid_refused_before_the_declaration_in_english(api_client, world, version, assessors):
    dossier = agreed_dossier(world.centre_a, version, company=world.company_a)
    seated_session(world, [dossier], assessors=assessors, declared=False)
    grid = dossier.grids.first()
    api_client.force_authenticate(assessors[0])
    api_client.force_login(assessors[0])
    url = reverse("api:grid-detail", args=[grid.pk])
    response = api_client.get(url)
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Signez d'abord votre déclaration")
    api_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = api_client.get(url)
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "First sign your declaration of no conflict of interest for this candidate."
    )


@pytest.mark.parametrize(
    ("language", "candidate_subject", "member_subject"),
    [
        ("fr", "Convocation à l'évaluation — {}", "Commission d'évaluation — {}"),
        ("en", "Assessment notice — {}", "Assessment board — {}"),
    ],
)
def test_convocation_subjects_in_the_language_of_the_request(
    world,
    version,
    assessors,
    django_capture_on_commit_callbacks,
    language,
    candidate_subject,
    member_subject,
):
    dossier = agreed_dossier(world.centre_a, version, company=world.company_a)
    with translation.override(language), django_capture_on_commit_callbacks(execute=True):
        seated_session(world, [dossier], assessors=assessors, declared=False)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    centre = world.centre_a.name
    assert subjects[dossier.candidate.email] == candidate_subject.format(centre)
    assert subjects[assessors[0].email] == member_subject.format(centre)


@pytest.mark.parametrize(
    ("language", "date_format"),
    [("fr", "l j F Y à H\\hi"), ("en", r"l j F Y \a\t H:i")],
)
def test_convocation_dates_in_the_language_of_the_request(
    world, version, assessors, django_capture_on_commit_callbacks, language, date_format
):
    dossier = agreed_dossier(world.centre_a, version, company=world.company_a)
    with translation.override(language), django_capture_on_commit_callbacks(execute=True):
        session = seated_session(world, [dossier], assessors=assessors, declared=False)
        expected = formats.date_format(timezone.localtime(session.starts_at), date_format)
    bodies = {message.to[0]: message.body for message in mail.outbox}
    for address in (dossier.candidate.email, assessors[0].email):
        assert f" : {expected}\n" in bodies[address]
        if language == "en":
            assert not re.search(r"\d à \d", bodies[address])


def test_declaration_date_reads_at_in_english(client, world, version, assessors):
    """The signed declaration page: « à » in French, "at" in English (not « à »)."""
    dossier = agreed_dossier(world.centre_a, version, company=world.company_a)
    session = seated_session(world, [dossier], assessors=assessors, declared=False)
    declaration = declare(assessors[0], session, dossier)
    signed = timezone.localtime(declaration.signed_at)
    url = reverse("evaluations:declaration", args=[session.pk, dossier.pk])
    client.force_login(assessors[0])
    french = html.unescape(client.get(url).content.decode())
    assert formats.date_format(signed, "j F Y à H\\hi") in french
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = html.unescape(client.get(url).content.decode())
    with translation.override("en"):
        assert formats.date_format(signed, r"j F Y \a\t H:i") in english
    assert not re.search(r"\d à \d", english)
