"""Names with markup, quotes and right-to-left text render as text in pages and in PDFs;
oversized, truncated, empty and disguised uploads are refused with a clear message."""

import dataclasses
import io
import re
import unicodedata
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from candidates.errors import DossierError
from candidates.filechecks import check_upload
from candidates.importing import guess_mapping, read_file, validate_rows
from centres.models import AuditEntry
from documents import samples
from documents.rendering import render_pdf
from tests.candidates.factories import CandidateFactory, DossierFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
QUOTES = 'O\'Brien "Jr"'
ARABIC = "مريم"


@pytest.fixture
def hostile(world):
    candidate = CandidateFactory(
        centre=world.centre_a, birth_name=SCRIPT, usage_name="", first_names=QUOTES
    )
    candidate.birth_commune = ARABIC
    candidate.save()
    DossierFactory(centre=world.centre_a, candidate=candidate, tutor_name=SCRIPT)
    AuditEntry.objects.create(
        centre=world.centre_a,
        action="candidate.register",
        subject_type="candidates.candidate",
        subject_id=str(candidate.pk),
        after={"birth_name": SCRIPT},
        reason=QUOTES,
    )
    return candidate


def assert_escaped(html: str):
    assert SCRIPT not in html and SCRIPT.upper() not in html
    assert "&lt;script&gt;" in html.lower()
    assert QUOTES not in html  # quotes are escaped too (attribute-safe)


@pytest.mark.parametrize(
    ("url_name", "kwargs"),
    [
        ("candidates:list", None),
        ("candidates:detail", "pk"),
        ("centres:audit_log", None),
        ("centres:privacy_candidate", "pk"),
    ],
)
def test_hostile_names_render_as_text_in_pages(url_name, kwargs, hostile, world, client):
    client.force_login(world.user("centre_admin"))
    url = reverse(url_name, kwargs={"pk": hostile.pk} if kwargs else None)
    html = client.get(url).content.decode()
    assert_escaped(html)
    if url_name == "candidates:detail":
        assert ARABIC in html


def pdf_text(pdf: bytes) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return unicodedata.normalize("NFKC", re.sub(r"\s+", " ", text))


def test_hostile_names_print_as_text_in_pdfs():
    template, context = samples.SAMPLES["certificate"]()
    holder = dataclasses.replace(
        context.holder, first_name=QUOTES, last_name=SCRIPT, birth_place=ARABIC
    )
    context = dataclasses.replace(context, holder=holder)
    text = pdf_text(render_pdf(template, context))
    # Printed, not interpreted: markup parsed as HTML would vanish from the text.
    assert SCRIPT.upper() in text
    assert QUOTES in text
    assert ARABIC in text or ARABIC[::-1] in text


# --- Uploads -------------------------------------------------------------------------------

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def _docx_without_body() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "code", "words"),
    [
        ("vide.pdf", b"", "file_empty", "est vide"),
        ("rapport.pdf", MINIMAL_PDF[:30], "file_type_refused", "n'est pas celui d'un PDF"),
        ("photo.png", _png()[:60], "file_type_refused", "image"),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "file_type_refused", "refusé"),
        (
            "image.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "file_type_refused",
            "refusé",
        ),
        ("script.jpg", b"#!/bin/sh\necho pwned\n", "file_type_refused", "exécutable"),
        ("linux.docx", b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "file_type_refused", "exécutable"),
        ("vide.docx", _docx_without_body(), "file_type_refused", "bureautique"),
    ],
)
def test_disguised_truncated_and_empty_uploads_are_refused(name, content, code, words):
    with pytest.raises(DossierError) as exc:
        check_upload(SimpleUploadedFile(name, content))
    assert exc.value.code == code
    message = str(exc.value.message)
    assert name in message and words in message


def test_an_oversized_upload_is_refused_before_reading_it_all(settings):
    settings.UPLOAD_MAX_BYTES = 1000

    class Huge:
        name = "enorme.pdf"
        size = 5 * 1024 * 1024

        def chunks(self):  # pragma: no cover - must not be read
            raise AssertionError("read although the declared size is too large")

    with pytest.raises(DossierError) as exc:
        check_upload(Huge())
    assert exc.value.code == "file_too_large"
    assert "trop volumineux" in str(exc.value.message) and "5,0" in str(exc.value.message)


def test_a_stream_larger_than_it_said_is_cut_off(settings):
    settings.UPLOAD_MAX_BYTES = 1000

    class Liar:
        name = "menteur.pdf"
        size = 10

        def chunks(self):
            for _ in range(10):
                yield b"x" * 500

    with pytest.raises(DossierError) as exc:
        check_upload(Liar())
    assert exc.value.code == "file_too_large"


def test_the_upload_page_shows_the_refusal(world, client):
    from candidates.models import DossierDocument

    dossier = DossierFactory(centre=world.centre_a)
    client.force_login(world.user("staff"))
    url = reverse("candidates:document_upload", args=[dossier.pk])
    response = client.post(
        url,
        {"kind": "report", "file": SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00" + b"0" * 100)},
        follow=True,
    )
    assert "exécutable" in response.content.decode()
    assert not DossierDocument.objects.filter(dossier=dossier).exists()


def test_a_date_typed_in_a_text_column_of_a_spreadsheet_is_a_row_error():
    """Found by test_properties: Excel turns some typed values into dates."""
    import datetime

    from openpyxl import Workbook

    from candidates.importing import COLUMNS

    workbook = Workbook()
    workbook.active.append([c.header for c in COLUMNS])
    row = ["NOM", "", "Prénom", "F", datetime.date(1990, 1, 2)]
    row += [""] * (len(COLUMNS) - len(row))
    nir_index = [c.key for c in COLUMNS].index("nir")
    row[nir_index] = datetime.datetime(2001, 2, 3)
    workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = read_file(buffer.getvalue(), "xlsx")
    [result] = validate_rows(sheet, guess_mapping(sheet.headers), set())
    assert result.errors and any("sécurité sociale" in e or "NIR" in e for e in result.errors)
