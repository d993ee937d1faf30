"""The bulk import against spreadsheet bombs (issue 14, finding 6): the uncompressed size is
checked on the ZIP directory before anything is read, the rows are limited, the file is read
once by a background job with visible progress, and the later pages read the stored rows."""

import datetime
import io
import struct
import zipfile
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from candidates import import_parsing, importing
from candidates.errors import DossierError
from candidates.models import Candidate, CandidateImport

from .test_import import GOOD, csv_bytes

pytestmark = pytest.mark.django_db
XLSX_HEADER = ["nom_naissance", "prenoms", "sexe", "date_naissance"]


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(XLSX_HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_rows(n):
    return [
        [f"Nom{i}", f"Prénom{i}", "F", datetime.datetime(1980, 1, 1 + i % 28)] for i in range(n)
    ]


def shared_string_bomb(declared=200 * 1024 * 1024) -> bytes:
    """A real, tiny workbook whose xl/sharedStrings.xml declares ``declared`` bytes once
    decompressed (the attack: one 200 MB shared string compresses to a few hundred KB)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["A", "B", "F", "01/01/1990"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename == "xl/sharedStrings.xml":
                continue
            archive.writestr(info.filename, source.read(info.filename))
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "A" * 1000 + "</sst>")
    content = bytearray(buffer.getvalue())
    name = b"xl/sharedStrings.xml"
    # The local header (uncompressed size at +22) and the central directory entry (+24).
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        offset = content.index(signature)
        while content[offset + name_at : offset + name_at + len(name)] != name:
            offset = content.index(signature, offset + 4)
        struct.pack_into("<I", content, offset + size_at, declared)
    return bytes(content)


def test_the_forged_bomb_declares_a_huge_size_and_is_tiny():
    bomb = shared_string_bomb()
    assert len(bomb) < 20_000
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size == 200 * 1024 * 1024


def test_a_shared_string_bomb_is_refused_without_being_read(staff):
    with (
        mock.patch("openpyxl.load_workbook", side_effect=AssertionError("read")) as reader,
        pytest.raises(DossierError) as exc,
    ):
        importing.create_import(staff, SimpleUploadedFile("bombe.xlsx", shared_string_bomb()))
    assert not reader.called
    assert exc.value.code == "import_too_large"
    message = str(exc.value.message)
    assert "une fois décompressé" in message and "200,0" in message and "50,0" in message
    assert not CandidateImport.objects.exists()
    # Read directly (tests, property checks), the same check applies before openpyxl.
    with pytest.raises(DossierError):
        importing.read_file(shared_string_bomb(), "xlsx")


def test_the_bomb_is_refused_on_the_upload_page(client, world):
    client.force_login(world.user("staff"))
    with mock.patch("openpyxl.load_workbook", side_effect=AssertionError("read")):
        response = client.post(
            reverse("candidates:import_upload"),
            {"file": SimpleUploadedFile("bombe.xlsx", shared_string_bomb()), "encoding": "utf-8"},
        )
    assert response.status_code == 200
    assert "une fois décompressé" in response.content.decode()
    assert not CandidateImport.objects.exists()


def _upload_page(client, content, name):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("candidates:import_upload"),
            {"file": SimpleUploadedFile(name, content), "encoding": "utf-8"},
        )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_row_limit_is_enforced_with_a_message(client, world, settings, fmt):
    settings.IMPORT_MAX_ROWS = 3
    client.force_login(world.user("staff"))
    content = csv_bytes(*GOOD, GOOD[0]) if fmt == "csv" else xlsx_bytes(xlsx_rows(4))
    response = _upload_page(client, content, f"liste.{fmt}")
    batch = CandidateImport.objects.get()
    assert batch.parse_status == "failed" and not batch.rows_file
    # The browser follows to the mapping page, which says why and sends back to the upload.
    response = client.get(response["Location"], follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("candidates:import_upload")
    assert "plus de 3 lignes de données" in page and "découpez-le" in page
    # At the limit, the file is accepted.
    content = csv_bytes(*GOOD) if fmt == "csv" else xlsx_bytes(xlsx_rows(3))
    response = _upload_page(client, content, f"liste.{fmt}")
    assert response.status_code == 302


def test_the_default_row_limit_is_fifty_thousand(settings):
    assert settings.IMPORT_MAX_ROWS == 50_000


def test_the_workbook_is_parsed_once_for_every_page(client, world):
    client.force_login(world.user("staff"))
    with mock.patch.object(import_parsing, "_read_xlsx", wraps=import_parsing._read_xlsx) as parser:
        response = _upload_page(client, xlsx_bytes(xlsx_rows(12)), "liste.xlsx")
        mapping_url = response["Location"]
        batch = CandidateImport.objects.get()
        for _ in range(3):
            page = client.get(mapping_url).content.decode()
            assert "12 lignes de données" in page
        data = {k: "" if v is None else v for k, v in importing.guess_mapping(XLSX_HEADER).items()}
        assert client.post(mapping_url, data).status_code == 302
        preview_url = reverse("candidates:import_preview", args=[batch.pk])
        for _ in range(2):
            assert "12 à inscrire" in client.get(preview_url).content.decode()
        assert client.post(preview_url).status_code == 302
    assert parser.call_count == 1
    assert Candidate.objects.count() == 12
    assert Candidate.objects.get(birth_name="Nom3").birth_date == datetime.date(1980, 1, 4)


def test_progress_is_visible_while_the_file_is_read(client, world, staff, monkeypatch):
    client.force_login(world.user("staff"))
    # The job is sent after commit: not run yet here, so the import waits to be read.
    batch = importing.create_import(
        staff, SimpleUploadedFile("liste.xlsx", xlsx_bytes(xlsx_rows(9)))
    )
    mapping_url = reverse("candidates:import_mapping", args=[batch.pk])
    progress_url = reverse("candidates:import_progress", args=[batch.pk])
    page = client.get(mapping_url).content.decode()
    assert "Lecture du fichier" in page and "En attente de lecture" in page
    assert f'hx-get="{progress_url}"' in page and 'hx-trigger="every 2s"' in page
    CandidateImport.objects.filter(pk=batch.pk).update(parse_status="parsing", parse_progress=40)
    response = client.get(progress_url)
    assert "40 %" in response.content.decode() and "Lecture en cours" in response.content.decode()
    assert "HX-Redirect" not in response
    # The job reports its progress as it reads (every PROGRESS_EVERY_ROWS rows).
    seen = []
    report = import_parsing._report
    monkeypatch.setattr(import_parsing, "PROGRESS_EVERY_ROWS", 2)
    monkeypatch.setattr(
        import_parsing,
        "_report",
        lambda pk, **fields: (seen.append(fields.get("parse_progress")), report(pk, **fields)),
    )
    CandidateImport.objects.filter(pk=batch.pk).update(parse_status="pending")
    assert import_parsing.parse_now(batch.pk) == "ready"
    steps = [p for p in seen if p is not None]
    assert steps[0] == 0 and steps[-1] == 100 and len(steps) >= 5
    assert steps == sorted(steps) and any(0 < p < 100 for p in steps)
    response = client.get(progress_url)
    assert response["HX-Redirect"] == mapping_url and "100 %" in response.content.decode()
    assert "9 lignes de données" in client.get(mapping_url).content.decode()
    assert import_parsing.parse_now(batch.pk) == "skipped"  # idempotent


def test_a_lost_parse_job_is_sent_again(client, world, staff):
    client.force_login(world.user("staff"))
    batch = importing.create_import(staff, SimpleUploadedFile("c.csv", csv_bytes(*GOOD)))
    progress_url = reverse("candidates:import_progress", args=[batch.pk])
    assert "HX-Redirect" not in client.get(progress_url)  # recent: still waiting
    CandidateImport.objects.filter(pk=batch.pk).update(
        parse_updated_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    response = client.get(progress_url)  # the job runs in process in the embedded set-up
    assert response["HX-Redirect"].endswith(f"/{batch.pk}/colonnes/")
    batch.refresh_from_db()
    assert batch.parse_status == "ready" and batch.row_count == 3


def test_long_cells_are_cut_and_still_reported_too_long(staff):
    long_name = "X" * 50_000
    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = importing.create_import(
            staff, SimpleUploadedFile("c.csv", csv_bytes(f"{long_name};;Luc;M;01/01/1990;;;;"))
        )
    batch.refresh_from_db()
    importing.set_mapping(staff, batch, importing.guess_mapping(batch.headers), "utf-8")
    (row,) = importing.preview(batch)
    assert len(row.values["birth_name"]) == import_parsing.CELL_MAX_CHARS
    assert "trop long" in row.errors[0]
