"""CSV, JSON and XLSX writers for cohort lists.

CSV and JSON are generators (for StreamingHttpResponse): rows are encoded in small batches, so
the first bytes leave at once and memory stays flat whatever the size. Spreadsheet formats
neutralise formulas (core.spreadsheet.safe_cell); JSON keeps values as they are.
"""

import csv
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.spreadsheet import MAYBE_UNSAFE, safe_cell

BOM = "\ufeff"
BATCH = 100  # rows per chunk sent to the client


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def _neutral(text: str) -> str:
    return safe_cell(text.replace("\x00", ""))


def _cells(row) -> list:
    """Text neutralised; None left for csv.writer, which writes it as an empty field.

    Inline tests first: at 100,000 rows x 20 columns, a function call per cell is most of the cost.
    """
    return [
        _neutral(value) if isinstance(value, str) and value and (value[0] in MAYBE_UNSAFE or "\x00" in value) else value
        for value in row
    ]


def csv_chunks(headers: list[str], cell_rows: Iterable[list]) -> Iterator[str]:
    """RFC 4180 (CRLF line ends, fields with comma, quote or line break quoted) with a UTF-8 BOM."""
    writer = csv.writer(_Echo(), dialect="excel", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    yield BOM + writer.writerow(_cells(headers))
    batch = []
    for row in cell_rows:
        batch.append(writer.writerow(_cells(row)))
        if len(batch) >= BATCH:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def json_chunks(meta: dict, json_rows: Iterable[dict]) -> Iterator[str]:
    """One JSON document {..meta, "rows": [...]}, written row by row."""
    head = json.dumps(meta, cls=DjangoJSONEncoder, ensure_ascii=False)
    yield head[:-1] + (", " if meta else "") + '"rows": ['
    batch, first = [], True
    for row in json_rows:
        batch.append(("\n" if first else ",\n") + json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False))
        first = False
        if len(batch) >= BATCH:
            yield "".join(batch)
            batch = []
    yield "".join(batch) + "\n]}\n"


def _xlsx_text(ws, text: str):
    text = safe_cell(ILLEGAL_CHARACTERS_RE.sub("", text))
    if text in ERROR_CODES:
        # A founder's "#N/A" is text, not an error value.
        cell = WriteOnlyCell(ws, value=text)
        cell.data_type = "s"
        return cell
    # Neutralised text never starts with "=", so openpyxl stores it as a string, never a formula
    # (checked by a test); a plain value reuses openpyxl's cell, a Cell per text costs a third more.
    return text


DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
SHEET_TITLE_MAX = 31  # Excel refuses longer sheet names
SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")


def _xlsx_value(ws, value):
    if value.__class__ is str:
        return _xlsx_text(ws, value) if value else value
    if isinstance(value, dt.datetime):
        # A typed date cell, shown as a date; Excel has no time zones, the header names the zone.
        cell = WriteOnlyCell(ws, value=value.replace(tzinfo=None))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def sheet_title(label: str, detail: str = "") -> str:
    """A sheet name Excel accepts (31 characters, none of \\ / * ? : [ ]) that keeps its meaning:
    the whole label, then the detail if it fits whole ("Cohort 2027"); never a word cut in two."""
    label = SHEET_TITLE_FORBIDDEN.sub("", ILLEGAL_CHARACTERS_RE.sub("", label)).strip()[:SHEET_TITLE_MAX]
    title = f"{label} {SHEET_TITLE_FORBIDDEN.sub('', detail).strip()}".strip()
    return (title if len(title) <= SHEET_TITLE_MAX else label) or "Export"


def write_xlsx(
    target,
    headers: list[str],
    cell_rows: Iterable[list],
    *,
    title: str,
    widths: list[int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write an XLSX in openpyxl's write-only mode (rows go to disk as they come). Returns rows.

    `title` must already fit Excel's 31 characters (sheet_title); the header row is bold and frozen,
    and each column is `widths` characters wide (default: its header's)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:SHEET_TITLE_MAX] or "Export")
    for index, width in enumerate(widths or [len(text) + 2 for text in headers], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=safe_cell(text))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    written = 0
    for row in cell_rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
        written += 1
        if progress and written % 500 == 0:
            progress(written)
    workbook.save(target)
    if progress:
        progress(written)
    return written
