"""English for the users who chose it: the API's refusals and the convocation mails (sent in
the language of the request that scheduled them); French stays the default."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from .factories import agreed_dossier, seated_session

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
