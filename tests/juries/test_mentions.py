"""Issue 15 — mentions are complete before anything is issued: in production
(``DOCUMENTS_SPECIMEN`` off) a session cannot be closed, nor its PV signed, while the CQPM
code, the RNCP number, the France Compétences decision date or a level is empty, and the
pages say which mention is missing and who fills it in; on a specimen deployment (the demo)
the PV, the parchemin and the letter are issued watermarked « SPÉCIMEN »."""

import datetime
import html
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from documents.models import CertificateRecord, DocumentKind, GeneratedDocument
from documents.tasks import render_now
from juries import services
from juries.models import MinutesSignature

from .factories import A, all_codes, deliberating_session, ready_dossier, sign, sign_all, vote_all

pytestmark = pytest.mark.django_db

MENTIONS = {
    "code": "MQ 2026 01 69 0999",
    "rncp_code": "RNCP99999",
    "registration_decision_date": datetime.date(2025, 3, 27),
    "level": "5",
    "european_level": "5",
}


@pytest.fixture
def production(settings):
    settings.DOCUMENTS_SPECIMEN = False


def fill_mentions(qualification, **values):
    for field, value in {**MENTIONS, **values}.items():
        setattr(qualification, field, value)
    qualification.save()


def voted(world, version):
    dossier = ready_dossier(world.centre_a, version, birth_name="Mention")
    session, members, (item,) = deliberating_session(world, version, [dossier])
    vote_all(item, members, dict.fromkeys(all_codes(item), A))
    return session, members


def pdf_text(document) -> str:
    document.refresh_from_db()
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_production_refuses_to_close_while_a_mention_is_missing(production, client, world, version):
    session, members = voted(world, version)
    with pytest.raises(services.JuryError) as excinfo:
        services.close_session(session, actor=members[0].user)
    assert excinfo.value.code == "mentions_missing"
    message = str(excinfo.value.message)
    for label in ("code du CQPM", "numéro de fiche RNCP", "France Compétences", "niveau"):
        assert label in message
    assert "administrateur national" in message
    client.force_login(members[0].user)
    page = html.unescape(
        client.get(reverse("juries:session_close", args=[session.pk])).content.decode()
    )
    assert "Mentions obligatoires manquantes" in page and "Numéro de fiche RNCP" in page
    assert "l'administrateur national (GTP)" in page
    fill_mentions(version.qualification, level="")
    page = html.unescape(
        client.get(reverse("juries:session_close", args=[session.pk])).content.decode()
    )
    assert "Niveau (cadre national)" in page and "Numéro de fiche RNCP" not in page
    response = client.post(
        reverse("juries:session_close", args=[session.pk]),
        {"confirm": "on", "version": session.version},
    )
    assert response.status_code == 200  # refused, said on the form
    assert "niveau (cadre national)" in html.unescape(response.content.decode())
    fill_mentions(version.qualification)
    assert services.close_session(session, actor=members[0].user).is_closed


def test_production_api_close_says_which_mention_is_missing(production, api_client, world, version):
    session, members = voted(world, version)
    fill_mentions(version.qualification, code="")
    api_client.force_login(members[0].user)
    response = api_client.post(reverse("api:jury-session-close", args=[session.pk]))
    assert response.status_code == 400
    assert response.json()["code"] == "mentions_missing"
    assert "code du CQPM" in response.json()["detail"]


def test_production_issues_nothing_when_a_mention_goes_missing_before_the_signatures(
    production, client, world, version
):
    fill_mentions(version.qualification)
    session, members = voted(world, version)
    services.close_session(session, actor=members[0].user)
    sign_all(session, members[:3])
    version.qualification.rncp_code = ""
    version.qualification.save()
    with pytest.raises(services.JuryError, match="numéro de fiche RNCP"):
        sign(session, members[3])
    assert not CertificateRecord.objects.exists()
    assert MinutesSignature.objects.count() == 3
    client.force_login(members[3].user)
    page = html.unescape(
        client.get(reverse("juries:minutes_sign", args=[session.pk])).content.decode()
    )
    assert "Numéro de fiche RNCP" in page and "l'administrateur national (GTP)" in page
    fill_mentions(version.qualification)
    sign(session, members[3])
    assert CertificateRecord.objects.get().rncp_number == "RNCP99999"


def test_specimen_documents_are_watermarked_and_production_ones_are_not(
    settings, world, version, django_capture_on_commit_callbacks
):
    settings.DOCUMENTS_SPECIMEN = True  # the demo: mentions missing, issued as specimens
    session, members = voted(world, version)
    services.close_session(session, actor=members[0].user)
    minutes = GeneratedDocument.objects.get(kind=DocumentKind.JURY_MINUTES)
    assert render_now(minutes.pk).status == "ready"
    assert "SPÉCIMEN" in pdf_text(minutes)
    for member in members:
        sign(session, member)
    issued = GeneratedDocument.objects.filter(
        kind__in=[DocumentKind.CERTIFICATE, DocumentKind.RESULT_LETTER]
    )
    assert issued.count() == 2
    for document in issued:
        assert render_now(document.pk).status == "ready"
        text = pdf_text(document)
        assert "SPÉCIMEN" in text, document.kind
    assert "à renseigner" in pdf_text(issued.get(kind=DocumentKind.CERTIFICATE))

    settings.DOCUMENTS_SPECIMEN = False  # production, every mention filled in
    fill_mentions(version.qualification)
    certificate = issued.get(kind=DocumentKind.CERTIFICATE)
    record = CertificateRecord.objects.get()
    for field, value in {
        "qualification_code": MENTIONS["code"],
        "rncp_number": MENTIONS["rncp_code"],
        "france_competences_decision_date": MENTIONS["registration_decision_date"],
        "level_national": "5",
        "level_european": "5",
    }.items():
        setattr(record, field, value)
    record.save()
    again = GeneratedDocument.objects.create(
        centre=certificate.centre,
        kind=certificate.kind,
        subject_type=certificate.subject_type,
        subject_id=certificate.subject_id,
        certificate=record,
    )
    assert render_now(again.pk).status == "ready"
    text = pdf_text(again)
    assert "SPÉCIMEN" not in text and "à renseigner" not in text
    assert "RNCP99999" in text and "MQ 2026 01 69 0999" in text
