"""Cells that are safe to open in a spreadsheet. Shared by every CSV and XLSX export of the portal.

A text cell starting with =, +, -, @, a tab or a carriage return is run as a formula by Excel,
LibreOffice and Google Sheets (CSV injection, OWASP). Such text is prefixed with an apostrophe,
which spreadsheets show as text; numbers, dates and empty cells are left alone.
"""

import csv
from collections.abc import Iterable, Iterator

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Excel opens UTF-8 CSV with accents intact only when the file starts with a byte order mark.
UTF8_BOM = "\ufeff"


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class _Line:
    """A file-like object whose write() hands back the line csv.writer produced."""

    def write(self, value):
        return value


def csv_lines(header: Iterable, rows: Iterable[Iterable], *, bom: bool = True) -> Iterator[str]:
    """RFC 4180 lines (CRLF, quoted as needed) with every cell neutralised, for streaming."""
    writer = csv.writer(_Line())
    yield (UTF8_BOM if bom else "") + writer.writerow([safe_cell(c) for c in header])
    for row in rows:
        yield writer.writerow([safe_cell(c) for c in row])
