"""Property-based tests (hypothesis): whatever comes in, the referential loader, the bulk
import and the main forms answer with their domain error or a form error — never a crash —
and write nothing when they refuse."""

import csv
import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from candidates.errors import DossierError
from candidates.filechecks import check_upload
from candidates.forms import CandidateForm
from candidates.importing import (
    COLUMNS,
    detect_format,
    guess_mapping,
    read_file,
    validate_rows,
)
from centres.forms import CompanyForm
from cqpm.errors import ReferentialError
from cqpm.loader import load_referential, parse_referential_text
from cqpm.models import Competence, Criterion, Qualification, ReferentialVersion
from cqpm.validation import validate_referential
from tests.cqpm.factories import seed_document

pytestmark = pytest.mark.django_db

FAST = settings(
    max_examples=40,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
hostile_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60
) | st.sampled_from(
    ["<script>alert(1)</script>", 'O\'Brien "Jr"', "مريم", "=1+1", "' OR 1=1 --", "\u202e"]
)


def _referential_counts():
    return tuple(
        m.objects.count() for m in (Qualification, ReferentialVersion, Competence, Criterion)
    )


# --- Referential loader --------------------------------------------------------------------


@FAST
@given(data=json_values)
def test_arbitrary_json_is_refused_with_the_domain_error(data):
    try:
        validate_referential(data)
    except ReferentialError as exc:
        assert str(exc)


@FAST
@given(text=st.text(max_size=200))
def test_arbitrary_text_is_refused_with_the_domain_error(text):
    try:
        parse_referential_text(text)
    except ReferentialError as exc:
        assert "JSON invalide" in str(exc)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


SEED_PATHS = [p for p in _paths(seed_document()) if p]


@FAST
@given(path=st.sampled_from(SEED_PATHS), value=json_values)
def test_a_corrupted_seed_loads_or_is_refused_without_writing(path, value):
    document = seed_document()
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    before = _referential_counts()
    try:
        load_referential(document)
    except ReferentialError:
        assert _referential_counts() == before


# --- Bulk import (CSV and XLSX) -------------------------------------------------------------

cells = st.one_of(
    hostile_text,
    st.dates(min_value=datetime.date(1, 1, 1)).map(lambda d: d.strftime("%d/%m/%Y")),
    st.sampled_from(["F", "M", "X", "", "31/02/2001", "1999-13-01", "190057512345678"]),
)
printable_cells = st.text(
    alphabet=st.characters(min_codepoint=32, exclude_categories=("Cs", "Cc")), max_size=40
)
HEADERS = [c.header for c in COLUMNS]


@FAST
@given(rows=st.lists(st.lists(cells, min_size=0, max_size=len(HEADERS) + 2), max_size=8))
def test_arbitrary_csv_rows_give_row_errors_not_crashes(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS)
    writer.writerows(rows)
    content = buffer.getvalue().encode("utf-8")
    try:
        sheet = read_file(content, detect_format(content))
    except DossierError as exc:  # e.g. a NUL byte: "not a CSV", said clearly
        assert exc.code.startswith("import")
        return
    results = validate_rows(sheet, guess_mapping(sheet.headers), set())
    assert len(results) <= len(rows)
    for result in results:
        assert result.ok or all(isinstance(e, str) and e for e in result.errors)


@FAST
@given(
    rows=st.lists(
        st.lists(
            printable_cells | st.integers() | st.dates(min_value=datetime.date(1900, 1, 1)),
            max_size=len(HEADERS),
        ),
        max_size=6,
    )
)
def test_arbitrary_xlsx_rows_give_row_errors_not_crashes(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    assert detect_format(content) == "xlsx"
    parsed = read_file(content, "xlsx")
    for result in validate_rows(parsed, guess_mapping(parsed.headers), set()):
        assert result.ok or result.errors


@FAST
@given(content=st.binary(max_size=300))
def test_arbitrary_bytes_are_a_format_error_or_a_sheet(content):
    try:
        file_format = detect_format(content)
        read_file(content, file_format)
    except DossierError as exc:
        assert exc.code.startswith("import")


@FAST
@given(content=st.binary(max_size=300), name=hostile_text)
def test_arbitrary_uploads_are_refused_clearly(content, name):
    try:
        checked = check_upload(SimpleUploadedFile(name or "f", content))
    except DossierError as exc:
        assert exc.code in {"file_empty", "file_type_refused", "file_too_large"}
        assert "Le fichier" in str(exc.message)
    else:
        assert checked.size == len(content)


# --- Forms ----------------------------------------------------------------------------------

candidate_fields = st.fixed_dictionaries(
    {},
    optional={
        "birth_name": hostile_text,
        "usage_name": hostile_text,
        "first_names": hostile_text,
        "sex": st.sampled_from(["F", "M", "", "Z"]) | hostile_text,
        "birth_date": cells,
        "birth_commune": hostile_text,
        "birth_department": hostile_text,
        "birth_country": hostile_text,
        "email": hostile_text,
        "phone": hostile_text,
        "address": hostile_text,
        "access_status": st.sampled_from(["salarie", "vae", "autre"]) | hostile_text,
        "nir": st.text(alphabet="0123456789ABab ", max_size=22) | hostile_text,
    },
)


@FAST
@given(data=candidate_fields)
def test_candidate_form_validates_anything(data):
    form = CandidateForm(data=data)
    if form.is_valid():
        assert form.cleaned_data["birth_name"] and len(form.cleaned_data["birth_name"]) <= 120
        assert isinstance(form.cleaned_data["birth_date"], datetime.date)
    else:
        assert all(isinstance(m, str) for ms in form.errors.values() for m in ms)


company_fields = st.fixed_dictionaries(
    {},
    optional={
        "name": hostile_text,
        "siret": st.text(alphabet="0123456789 ", max_size=20) | hostile_text,
        "address": hostile_text,
        "city": hostile_text,
        "sites": hostile_text,
        "version": st.integers().map(str) | hostile_text,
    },
)


@FAST
@given(data=company_fields)
def test_company_form_validates_anything(data):
    form = CompanyForm(data=data)
    if form.is_valid():
        assert len(form.cleaned_data["name"]) <= 200
    else:
        assert form.errors


def test_the_strategies_reach_the_interesting_cases():
    """The hostile samples are JSON-safe and the seed has many paths to corrupt."""
    assert json.loads(json.dumps("<script>alert(1)</script>"))
    assert len(SEED_PATHS) > 100
