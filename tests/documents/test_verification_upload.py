"""The public verification page: every field, and "is this PDF the one issued?"."""

import datetime
import hashlib
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import DocumentStatus, GeneratedDocument
from documents.services import revoke_certificate

from .factories import issue, make_document

pytestmark = pytest.mark.django_db

ISSUED_PDF = b"%PDF-1.7\n% the parchemin as issued\n" + os.urandom(2048) + b"\n%%EOF\n"


def url(record):
    return reverse("verification:verify", kwargs={"code": record.display_code})


@pytest.fixture
def record(world):
    record = issue(
        world.centre_a,
        world.user("staff"),
        referential_version="3",
        signed_on=datetime.date(2026, 6, 19),
    )
    document = make_document(world.centre_a, certificate=record, status=DocumentStatus.READY)
    GeneratedDocument.objects.filter(pk=document.pk).update(
        sha256=hashlib.sha256(ISSUED_PDF).hexdigest()
    )
    return record


def upload(client, record, content, name="parchemin.pdf", **extra):
    return client.post(
        url(record),
        {"document": SimpleUploadedFile(name, content, content_type="application/pdf")},
        **extra,
    )


def test_the_page_shows_the_signatory_the_referential_version_and_the_jury_date(client, record):
    body = client.get(url(record)).content.decode()
    assert "Signataire" in body
    assert "Signé électroniquement par Anne Lefèvre, le 19 juin 2026" in body
    assert "Présidente du jury" in body
    assert "Version du référentiel" in body and "<dd>3</dd>" in body
    assert "Date du jury" in body and "18 juin 2026" in body
    assert 'enctype="multipart/form-data"' in body and 'name="document"' in body
    assert "20 Mo au plus" in body
    assert "csrftoken" not in client.cookies  # the public page sets no cookie


def test_the_exact_issued_pdf_is_recognised(client, record, settings, tmp_path):
    files_before = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    response = upload(client, record, ISSUED_PDF)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ce fichier est exactement le document délivré par le centre" in body
    assert "Document authentique" in body
    # Nothing kept: no new file anywhere under the test's directories, no new row.
    assert sorted(p for p in tmp_path.rglob("*") if p.is_file()) == files_before
    assert GeneratedDocument.objects.count() == 1


def test_the_upload_is_hashed_as_it_arrives_and_never_kept(client, world, monkeypatch):
    """3 MB — past Django's in-memory limit, where its own handlers would write a temporary
    file: neither a temporary nor an in-memory uploaded file is ever made."""
    from django.core.files import uploadedfile

    big = b"%PDF-1.7\n" + os.urandom(3 * 1024 * 1024)
    record = issue(world.centre_a, subject=("juries.decision", "3"))
    document = make_document(world.centre_a, certificate=record, status=DocumentStatus.READY)
    GeneratedDocument.objects.filter(pk=document.pk).update(sha256=hashlib.sha256(big).hexdigest())

    def refused(*args, **kwargs):
        raise AssertionError("the upload was kept")

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", refused)
    monkeypatch.setattr(uploadedfile.InMemoryUploadedFile, "__init__", refused)
    payload = io.BytesIO(big)
    payload.name = "parchemin.pdf"
    response = client.post(url(record), {"document": payload})
    assert response.status_code == 200
    assert "exactement le document délivré" in response.content.decode()


def test_a_modified_copy_is_not_the_issued_document(client, record):
    modified = bytearray(ISSUED_PDF)
    modified[40] ^= 0x01
    response = upload(client, record, bytes(modified))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ce fichier n'est pas le document délivré" in body
    assert "exactement le document délivré" not in body


def test_another_certificates_pdf_does_not_match(client, record, world):
    other = issue(world.centre_a, subject=("juries.decision", "99"))
    response = upload(client, other, ISSUED_PDF)
    assert "Ce fichier n'est pas le document délivré" in response.content.decode()


def test_a_match_on_a_revoked_certificate_says_it_is_no_longer_valid(client, record, world):
    revoke_certificate(record, reason="Fraude", actor=world.user("staff"))
    body = upload(client, record, ISSUED_PDF).content.decode()
    assert "exactement le document délivré" in body
    assert "Le certificat a toutefois été révoqué" in body


def test_a_file_too_big_is_refused_without_being_kept(client, record, settings):
    settings.VERIFICATION_UPLOAD_MAX_BYTES = 1024 * 1024
    response = upload(client, record, b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1))
    assert response.status_code == 413
    body = response.content.decode()
    assert "Ce fichier dépasse 1 Mo" in body
    assert "exactement le document délivré" not in body


def test_a_file_that_is_not_a_pdf_is_refused(client, record):
    response = upload(client, record, b"PK\x03\x04 a zip, not a PDF", name="parchemin.pdf")
    assert response.status_code == 400
    assert "Ce fichier n'est pas un PDF" in response.content.decode()


def test_a_post_without_file_asks_for_one(client, record):
    response = client.post(url(record), {})
    assert response.status_code == 400
    assert "Aucun fichier reçu" in response.content.decode()


def test_an_upload_to_an_unknown_code_gets_the_neutral_answer(client, record):
    response = client.post(
        reverse("verification:verify", kwargs={"code": "ZZZZZ-ZZZZZ"}),
        {"document": SimpleUploadedFile("x.pdf", ISSUED_PDF)},
    )
    assert response.status_code == 404
    assert response.content == client.get("/verifier/ZZZZZ-ZZZZZ/").content


def test_uploads_are_throttled_like_the_page(client, record, settings):
    settings.VERIFICATION_RATE = "2/min"
    assert upload(client, record, ISSUED_PDF).status_code == 200
    assert upload(client, record, ISSUED_PDF).status_code == 200
    throttled = upload(client, record, ISSUED_PDF)
    assert throttled.status_code == 429
    assert "Trop de demandes" in throttled.content.decode()


def test_the_upload_works_in_english(client, record):
    client.cookies["django_language"] = "en"
    body = upload(client, record, ISSUED_PDF).content.decode()
    assert "This file is exactly the document the centre issued" in body
