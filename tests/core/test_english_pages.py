"""The main pages in English leave no French label behind: the dossier's buttons and
history ("Clore le dossier", "Rapport déposé"), document titles, session states, dates."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from candidates.models import DossierEvent, DossierStatus
from documents.models import DocumentBatch, GeneratedDocument
from evaluations.models import EvaluationSession
from tests.candidates.factories import DossierFactory

pytestmark = pytest.mark.django_db

# French labels that used to reach the English interface.
FRENCH = (
    "Clore le dossier",
    "Rapport déposé",
    "déposé :",
    "(en retard)",
    "Convocation —",
    "Convocation à l'évaluation",
    "PV du jury",
    "Documents du jury",
    "Courrier de résultat",
    "Procès-verbal",
    "Clôturée",
    "Fermer",
    " à 0",
    " à 1",
)


@pytest.fixture(autouse=True)
def _french_again():
    yield
    translation.deactivate()


def _text(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="en"' in html
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _english(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _no_french(text):
    left = [label for label in FRENCH if label in text]
    assert left == []


def test_dossier_page_in_english(client, world):
    dossier = DossierFactory(centre=world.centre_a, status=DossierStatus.DECIDED)
    DossierEvent.objects.create(
        dossier=dossier, action="document", reason="Rapport déposé : rapport.pdf (en retard)"
    )
    _english(client, world.user("staff"))
    text = _text(client.get(reverse("candidates:dossier_detail", args=[dossier.pk])))
    assert "Close the dossier" in text
    assert "Report uploaded: rapport.pdf (late)" in text
    _no_french(text)


def test_documents_pages_in_english(client, world):
    batch = DocumentBatch.objects.create(centre=world.centre_a, label="Documents du jury J-00012")
    for kind, label in (
        ("convocation", "Convocation — Paul LEMAIRE"),
        ("jury_minutes", "PV du jury J-00012"),
        ("result_letter", "Courrier de résultat — Paul LEMAIRE"),
    ):
        GeneratedDocument.objects.create(
            centre=world.centre_a,
            kind=kind,
            subject_type="juries.decision",
            subject_id="1",
            label=label,
            batch=batch,
        )
    _english(client, world.user("staff"))
    text = _text(client.get(reverse("documents:list")))
    assert "Assessment notice — Paul LEMAIRE" in text
    assert "Deliberation minutes — J-00012" in text
    assert "Results letter — Paul LEMAIRE" in text
    assert "Jury documents J-00012" in text
    _no_french(text)
    text = _text(client.get(reverse("documents:batch", args=[batch.pk])))
    assert "Jury documents J-00012" in text
    _no_french(text)


def test_sessions_in_english_read_closed_and_english_dates(client, world):
    from tests.evaluations.factories import seated_session

    session = seated_session(world, [])
    starts = timezone.make_aware(datetime.datetime(2026, 12, 2, 9, 0))
    EvaluationSession.objects.filter(pk=session.pk).update(status="closed", starts_at=starts)
    _english(client, world.user("staff"))
    text = _text(client.get(reverse("evaluations:session_list")))
    assert "Closed" in text
    assert "Wednesday 2 December 2026 at 09:00" in text
    assert "09h00" not in text and "12/02/2026" not in text
    _no_french(text)
    text = _text(client.get(reverse("evaluations:session_detail", args=[session.pk])))
    assert "Wednesday 2 December 2026 at 09:00" in text
    _no_french(text)


def test_home_pages_in_english(client, world):
    for role in ("staff", "centre_admin", "assessor", "juror"):
        client.logout()
        _english(client, world.user(role))
        _no_french(_text(client.get("/")))
