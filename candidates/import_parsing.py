"""Reading a bulk-import file, once, in a background job.

A spreadsheet is hostile input: a few hundred kilobytes of XLSX can declare hundreds of
megabytes once decompressed (one huge shared string), and a small file can hold hundreds of
thousands of rows. So: the uncompressed size declared by the ZIP members is checked before
anything is decompressed (``IMPORT_MAX_UNCOMPRESSED_MB``; ``zipfile`` never inflates a
member past its declared size, so the declaration bounds the work), workbooks are read in
streaming mode (openpyxl ``read_only``, values only, ``IMPORT_MAX_COLUMNS`` columns), the
reading stops past ``IMPORT_MAX_ROWS`` data rows, and each cell is cut to
``CELL_MAX_CHARS`` (longer than any column allows: the row is still reported as too long).

The file is parsed once by ``candidates.tasks.parse_import`` (``parse_now``), which reports
its progress on the import row and stores the parsed rows as JSON next to it; the mapping,
preview and import steps read those rows (``load_rows``), never the workbook again.
"""

import csv
import datetime
import io
import json
import logging
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidates.errors import DossierError
from candidates.models import CandidateImport
from centres.scoping import centre_scope, scopes_disabled

logger = logging.getLogger(__name__)

CELL_MAX_CHARS = 1000
HEADER_MAX_CHARS = 200
PROGRESS_EVERY_ROWS = 1000
# A job not heard of for this long is sent again (broker outage, worker killed).
STALE_AFTER = timedelta(minutes=2)

Status = CandidateImport.ParseStatus


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list]]  # (line number in the file, cells)
    errors: list[tuple[int, str]] = field(default_factory=list)  # file-level, by line


_ENCODING_ERROR = gettext_lazy(
    "caractères illisibles : le fichier n'est pas enregistré dans l'encodage choisi "
    "(enregistrez-le en UTF-8)."
)


def detect_format(content: bytes) -> str:
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                if "xl/workbook.xml" in archive.namelist():
                    return "xlsx"
        except zipfile.BadZipFile:
            pass
        raise DossierError(
            _("Ce fichier n'est ni un CSV ni un classeur Excel (XLSX)."), code="import_format"
        )
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise DossierError(
            _(
                "Le format Excel 97-2003 (.xls) n'est pas pris en charge : enregistrez le "
                "classeur au format .xlsx ou .csv."
            ),
            code="import_format",
        )
    if b"\x00" in content[:4096]:
        raise DossierError(
            _("Ce fichier n'est ni un CSV ni un classeur Excel (XLSX)."), code="import_format"
        )
    return "csv"


def check_uncompressed_size(content: bytes) -> None:
    """Refuse a workbook whose members declare more than ``IMPORT_MAX_UNCOMPRESSED_BYTES``
    once decompressed; reads the ZIP's central directory only, decompresses nothing."""
    limit = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            declared = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DossierError(_("Classeur Excel illisible."), code="import_format") from exc
    if declared > limit:
        raise DossierError(
            _(
                "Ce classeur occuperait %(size)s une fois décompressé : la limite est de "
                "%(limit)s. Enregistrez-le au format CSV ou découpez-le en plusieurs fichiers."
            )
            % {"size": filesizeformat(declared), "limit": filesizeformat(limit)},
            code="import_too_large",
        )


def _too_many_rows():
    return DossierError(
        _(
            "Le fichier compte plus de %(max)s lignes de données : découpez-le en plusieurs "
            "fichiers de %(max)s lignes au plus."
        )
        % {"max": number_format(settings.IMPORT_MAX_ROWS, force_grouping=True)},
        code="import_too_many_rows",
    )


def _clip(value):
    if isinstance(value, str):
        return value[:CELL_MAX_CHARS]
    if isinstance(value, (bool, int, float, datetime.date)):
        return value
    return str(value)[:CELL_MAX_CHARS]  # times, durations: checked as the text they show


def read_file(content: bytes, file_format: str, encoding: str = "utf-8", progress=None) -> Sheet:
    """The rows of a file; ``progress(done, total)`` is called every few thousand rows."""
    if file_format == "xlsx":
        return _read_xlsx(content, progress)
    return _read_csv(content, encoding, progress)


def _read_csv(content: bytes, encoding: str, progress=None) -> Sheet:
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    errors = []
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError:
        # Report every undecodable line; decode the rest so the preview still shows it.
        lines = []
        for number, raw in enumerate(content.split(b"\n"), start=1):
            try:
                lines.append(raw.decode(encoding))
            except UnicodeDecodeError:
                lines.append(raw.decode(encoding, "replace"))
                errors.append((number, _ENCODING_ERROR))
        text = "\n".join(lines)
    if errors and errors[0][0] == 1:
        raise DossierError(
            _("Ligne 1 : en-tête illisible (encodage). Enregistrez le fichier en UTF-8."),
            code="import_encoding",
        )
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    sheet = Sheet(headers=[], rows=[], errors=[(n, str(m)) for n, m in errors])
    max_rows, max_columns, total = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS, 0
    if progress:
        total = text.count("\n") or 1
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous_end = 0
    for cells in reader:
        line, previous_end = previous_end + 1, reader.line_num  # a record may span lines
        if not sheet.headers and line == 1:
            sheet.headers = [c.strip()[:HEADER_MAX_CHARS] for c in cells[:max_columns]]
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(sheet.rows) >= max_rows:
            raise _too_many_rows()
        sheet.rows.append((line, [_clip(c) for c in cells[:max_columns]]))
        if progress and len(sheet.rows) % PROGRESS_EVERY_ROWS == 0:
            progress(reader.line_num, total)
    return sheet


def _read_xlsx(content: bytes, progress=None) -> Sheet:
    from openpyxl import load_workbook

    check_uncompressed_size(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise DossierError(_("Classeur Excel illisible."), code="import_format") from exc
    try:
        sheet = Sheet(headers=[], rows=[])
        worksheet = workbook.worksheets[0]
        max_rows, max_columns = settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS
        total = (worksheet.max_row or 0) if progress else 0
        rows = worksheet.iter_rows(values_only=True, max_col=max_columns)
        for number, cells in enumerate(rows, start=1):
            values = ["" if c is None else c for c in cells]
            if number == 1:
                sheet.headers = [str(c).strip()[:HEADER_MAX_CHARS] for c in values]
                continue
            if not any(str(c).strip() for c in values):
                continue
            if len(sheet.rows) >= max_rows:
                raise _too_many_rows()
            sheet.rows.append((number, [_clip(c) for c in values]))
            if progress and len(sheet.rows) % PROGRESS_EVERY_ROWS == 0:
                progress(number, max(total, number + 1))
    except DossierError:
        raise
    except Exception as exc:  # a member that lies about its size fails its CRC, etc.
        raise DossierError(_("Classeur Excel illisible."), code="import_format") from exc
    finally:
        workbook.close()
    return sheet


# --- the parsed rows, stored once ---------------------------------------------------------


def _encode(value):
    if isinstance(value, datetime.date):  # a datetime is a date too: only the day is used
        return {"date": value.isoformat()[:10]}
    return value


def _decode(value):
    if isinstance(value, dict):
        return datetime.date.fromisoformat(value["date"])
    return value


def dump_rows(sheet: Sheet) -> bytes:
    data = {
        "rows": [[line, [_encode(c) for c in cells]] for line, cells in sheet.rows],
        "errors": [[line, str(message)] for line, message in sheet.errors],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def load_rows(batch) -> Sheet:
    """The stored rows of a parsed import (the file itself is not read again)."""
    if batch.parse_status != Status.READY or not batch.rows_file:
        raise DossierError(
            _("Le fichier n'a pas encore été lu : patientez quelques instants."),
            code="import_not_ready",
        )
    with batch.rows_file.open("rb") as handle:
        data = json.load(handle)
    return Sheet(
        headers=list(batch.headers),
        rows=[(line, [_decode(c) for c in cells]) for line, cells in data["rows"]],
        errors=[(line, message) for line, message in data["errors"]],
    )


# --- the job ------------------------------------------------------------------------------


def _report(import_id, **fields):
    fields["parse_updated_at"] = timezone.now()
    CandidateImport.objects.filter(pk=import_id).update(**fields)


def parse_now(import_id: int) -> str:
    """Read the import's file once and store its rows; idempotent (a parsed import is
    skipped). Returns "ready", "failed", "skipped" or "missing"."""
    with scopes_disabled():
        centre_id = (
            CandidateImport.objects.filter(pk=import_id).values_list("centre_id", flat=True).first()
        )
    if centre_id is None:
        return "missing"
    with centre_scope(centre_id):
        with transaction.atomic():
            batch = CandidateImport.objects.select_for_update().filter(pk=import_id).first()
            if batch is None or batch.parse_status in (Status.READY, Status.FAILED):
                return "skipped"
            _report(import_id, parse_status=Status.PARSING, parse_progress=0)

        def progress(done, total):
            _report(import_id, parse_progress=min(99, done * 100 // max(total, 1)))

        try:
            with batch.file.open("rb") as handle:
                content = handle.read()
            encoding = batch.mapping.get("encoding", "utf-8")
            sheet = read_file(content, batch.file_format, encoding, progress=progress)
        except DossierError as exc:
            _report(import_id, parse_status=Status.FAILED, parse_error=str(exc.message)[:500])
            return "failed"
        except Exception:
            logger.exception("parse_import: import %s failed", import_id)
            _report(import_id, parse_status=Status.FAILED, parse_error=_("Fichier illisible."))
            return "failed"
        batch.rows_file.save("rows.json", ContentFile(dump_rows(sheet)), save=False)
        _report(
            import_id,
            rows_file=batch.rows_file.name,
            headers=sheet.headers,
            row_count=len(sheet.rows),
            parse_status=Status.READY,
            parse_progress=100,
            parse_error="",
        )
    return "ready"
