"""CSV, JSON and XLSX writers for cohort lists.

CSV and JSON are generators (for StreamingHttpResponse): rows are encoded in small batches, so
the first bytes leave at once and memory stays flat whatever the size. Spreadsheet formats
neutralise formulas (accelerator.spreadsheet.safe_cell); JSON keeps values as they are.
"""

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from accelerator.spreadsheet import safe_cell
from cohorts.exports import rows as export_rows

BOM = "\ufeff"
BATCH = 100  # rows per chunk sent to the client


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def _cell(value):
    if value is None:
        return ""
    return safe_cell(value.replace("\x00", "")) if isinstance(value, str) else value


def csv_chunks(headers: list[str], cell_rows: Iterable[list]) -> Iterator[str]:
    """RFC 4180 (CRLF line ends, fields with comma, quote or line break quoted) with a UTF-8 BOM."""
    writer = csv.writer(_Echo(), dialect="excel", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    yield BOM + writer.writerow([_cell(h) for h in headers])
    batch = []
    for row in cell_rows:
        batch.append(writer.writerow([_cell(v) for v in row]))
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


def _xlsx_value(ws, value):
    if value is None:
        return None
    if isinstance(value, str):
        cell = WriteOnlyCell(ws, value=safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value)))
        cell.data_type = "s"  # never a formula, whatever the text
        return cell
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones; the header names the zone
    return value


def write_xlsx(
    target, headers: list[str], cell_rows: Iterable[list], *, title: str, progress: Callable[[int], None] | None = None
) -> int:
    """Write an XLSX in openpyxl's write-only mode (rows go to disk as they come). Returns rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=ILLEGAL_CHARACTERS_RE.sub("", title)[:31] or "Export")
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


def flat_rows(records: Iterable[dict]) -> Iterator[list]:
    for rec in records:
        yield export_rows.flat_row(rec)


def json_rows(records: Iterable[dict]) -> Iterator[dict]:
    for rec in records:
        yield export_rows.json_row(rec)
