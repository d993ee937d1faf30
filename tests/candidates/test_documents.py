import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from candidates import services
from candidates.filechecks import detect_type
from candidates.models import DossierDocument

from .factories import DossierFactory, modality

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"PE\x00\x00"


def pdf(name="rapport.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png_bytes():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "PNG")
    return buf.getvalue()


def docx_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def odt_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


def xlsx_bytes():
    buf = io.BytesIO()
    Workbook().save(buf)
    return buf.getvalue()


@pytest.fixture
def dossier(world, version):
    return DossierFactory(
        centre=world.centre_a, referential_version=version, company=world.company_a
    )


def test_pdf_upload_stored_privately(staff, dossier, settings):
    document = services.upload_document(dossier, actor=staff, uploaded_file=pdf())
    assert document.content_type == "application/pdf"
    assert document.original_name == "rapport.pdf"
    assert "rapport" not in document.file.name and document.file.name.startswith("private/")
    assert document.size == len(PDF_BYTES) and len(document.sha256) == 64
    assert document.file.read() == PDF_BYTES
    assert not document.late
    assert dossier.events.filter(action="document").exists()


def test_renamed_executable_refused(staff, dossier):
    with pytest.raises(services.DossierError) as exc:
        services.upload_document(dossier, actor=staff, uploaded_file=pdf("rapport.pdf", EXE_BYTES))
    assert exc.value.code == "file_type_refused"
    assert "exécutable" in str(exc.value.message) and "rapport.pdf" in str(exc.value.message)
    assert not DossierDocument.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"just some text",
        b"%PDF-1.4 truncated without end",
        b"PK\x03\x04broken zip",
        b"#!/bin/sh\nrm -rf /\n",
    ],
)
def test_other_contents_refused(staff, dossier, content):
    with pytest.raises(services.DossierError):
        services.upload_document(dossier, actor=staff, uploaded_file=pdf("doc.pdf", content))


def test_oversize_refused(staff, dossier, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    big = PDF_BYTES[:-6] + b" " * 2000 + b"%%EOF\n"
    with pytest.raises(services.DossierError) as exc:
        services.upload_document(dossier, actor=staff, uploaded_file=pdf(content=big))
    assert exc.value.code == "file_too_large" and "trop volumineux" in str(exc.value.message)


def test_zip_that_is_not_office_refused(staff, dossier):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("virus.exe", EXE_BYTES)
    with pytest.raises(services.DossierError):
        services.upload_document(dossier, actor=staff, uploaded_file=pdf("x.docx", buf.getvalue()))


@pytest.mark.parametrize(
    ("maker", "mime"),
    [
        (png_bytes, "image/png"),
        (docx_bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (odt_bytes, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_accepted_types_by_content(maker, mime):
    assert detect_type(maker()) == mime


def test_legacy_doc_by_content():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "WordDocument".encode("utf-16-le")
    assert detect_type(ole) == "application/msword"


def test_report_after_deadline_flagged_late(staff, dossier, version):
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    dossier.competences.update(
        modality=modality(version, "project_presentation"), report_deadline=yesterday
    )
    late = services.upload_document(dossier, actor=staff, uploaded_file=pdf())
    assert late.late
    evidence = services.upload_document(dossier, actor=staff, uploaded_file=pdf(), kind="evidence")
    assert not evidence.late
    dossier.competences.update(report_deadline=datetime.date.today())
    assert not services.upload_document(dossier, actor=staff, uploaded_file=pdf()).late


def test_upload_refused_on_closed_dossier(staff, dossier):
    dossier.status = "withdrawn"
    dossier.save()
    with pytest.raises(services.DossierError) as exc:
        services.upload_document(dossier, actor=staff, uploaded_file=pdf())
    assert exc.value.code == "dossier_closed"
