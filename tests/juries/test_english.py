"""English for the users who chose it: the results exports speak their language, while the
certificate register and the PDFs stay French whatever the language of the user who closed
the session (the PDFs are rendered in French by ``documents.rendering``)."""

import csv
import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from openpyxl import load_workbook

from centres.access import build_actor
from documents.models import CertificateRecord, DocumentKind, GeneratedDocument
from documents.rendering import render_html
from juries import paperwork, services

from .factories import A, all_codes, deliberating_session, ready_dossier, sign_all, vote_all

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _french_again():
    """A request with the English cookie leaves English active in this thread: restore the
    default so that the next tests, which call services directly, get French again."""
    yield
    translation.deactivate()


def english(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_results_exports_in_english(client, world):
    english(client, world.user("staff"))
    response = client.get(reverse("juries:results_csv"))
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert header[:3] == ["Meeting", "Jury date", "Place"]
    assert header[-2:] == ["Revoked on", "Reason for revocation"]
    sheet = load_workbook(io.BytesIO(client.get(reverse("juries:results_xlsx")).content)).active
    assert sheet.title == "Results"
    assert [cell.value for cell in sheet[1]] == header


def test_register_and_letters_stay_french_when_closed_in_english(world, version):
    dossier = ready_dossier(world.centre_a, version, birth_name="Anglais")
    session, members, (item,) = deliberating_session(world, version, [dossier])
    vote_all(item, members, dict.fromkeys(all_codes(item), A))
    with translation.override("en"):
        services.close_session(session, actor=build_actor(world.user("staff")))
        sign_all(session, members)
        record = CertificateRecord.objects.get(kind="certificate")
        assert record.signatory_title == "Président(e) du jury paritaire de délibération"
        letter = GeneratedDocument.objects.get(kind=DocumentKind.RESULT_LETTER)
        template, context = paperwork.build_result_letter(letter)
        html = render_html(template, context)
    assert "<title>Notification de la décision du jury</title>" in html
    assert "Président(e) du jury paritaire de délibération" in html
    assert "Chair of the joint deliberation jury" not in html


def test_session_date_reads_at_in_english(client, world, version):
    """The head of the session page: « à » in French, "at" in English (not « à »)."""
    dossier = ready_dossier(world.centre_a, version)
    session, _members, _items = deliberating_session(world, version, [dossier])
    starts = timezone.localtime(session.starts_at)
    url = reverse("juries:session_detail", args=[session.pk])
    client.force_login(world.user("staff"))
    french = client.get(url).content.decode()
    assert formats.date_format(starts, "l j F Y à H\\hi") in french
    english_page = english(client, world.user("staff")).get(url).content.decode()
    with translation.override("en"):
        assert formats.date_format(starts, r"l j F Y \a\t H:i") in english_page
    assert not re.search(r"\d à \d", english_page)


def test_minutes_built_in_english_render_in_french(world, version):
    """The PV context built during an English request keeps lazy texts: the PDF (rendered in
    French by documents.rendering) shows the outcome, colleges and statement in French."""
    dossier = ready_dossier(world.centre_a, version, birth_name="Anglais")
    session, members, (item,) = deliberating_session(world, version, [dossier])
    vote_all(item, members, dict.fromkeys(all_codes(item), A))
    services.close_session(session, actor=build_actor(world.user("staff")))
    document = GeneratedDocument.objects.get(kind=DocumentKind.JURY_MINUTES)
    with translation.override("en"):
        template, context = paperwork.build_minutes(document)
        html = render_html(template, context)
    for french in ("CQPM délivré", "Collège employeurs", "Le jury a vérifié, pour chaque"):
        assert french in html, french
    for english_text in ("CQPM awarded", "Employers’ group", "The jury checked"):
        assert english_text not in html, english_text
