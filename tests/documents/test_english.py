"""Sentences around dates are translated whole (one ``blocktranslate`` with placeholders,
never "le" + date glued in the template), and the PDFs stay French whatever the language of
the request or worker that renders them."""

import datetime
import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from documents import samples
from documents.rendering import render_html

from .factories import issue


@pytest.fixture(autouse=True)
def _french_again():
    """A request with the English cookie leaves English active in this thread: restore the
    default so that the next tests, which call services directly, get French again."""
    yield
    translation.deactivate()


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def english(template, context) -> str:
    with translation.override("en"):
        return text(render_to_string(f"documents/pdf/{template}", {"ctx": context}))


def test_pdf_sentences_around_dates_translate_whole():
    certificate = english("certificate.html", samples.certificate())
    assert "born on 1 January 1990 in Villeurbanne," in certificate
    assert "Joint metalworking industry qualification certificate" in certificate
    assert "issued on " in certificate
    minutes = english("jury_minutes.html", samples.jury_minutes(2))
    assert "born on 1 Jan 1990" in minutes
    assert "Minutes of the joint jury deliberation" in minutes
    letter = english("result_letter.html", samples.result_letter())
    assert "Lyon, 20 June 2026" in letter and "Lyon, on" not in letter
    grid = english("evaluation_grid.html", samples.evaluation_grid())
    assert re.search(r"Signed on \d+ \w+ 2026 at \d\d:\d\d", grid)


def test_pdfs_stay_french_under_an_english_request():
    with translation.override("en"):
        certificate = text(render_html("documents/pdf/certificate.html", samples.certificate()))
        letter = text(render_html("documents/pdf/result_letter.html", samples.result_letter()))
    assert "né(e) le 1 janvier 1990 à Villeurbanne," in certificate
    assert "Certificat de qualification paritaire de la métallurgie" in certificate
    assert "Lyon, le 20 juin 2026" in letter
    assert "Notification de la décision du jury" in letter


@pytest.mark.django_db
def test_verification_page_in_english(world, client):
    record = issue(
        world.centre_a,
        world.user("staff"),
        france_competences_decision_date=datetime.date(2024, 3, 1),
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("verification:verify", kwargs={"code": record.display_code}))
    body = text(response.content.decode())
    assert "7 November 1991 in Varsovie" in body
    assert "France Compétences decision of 1 March 2024" in body
