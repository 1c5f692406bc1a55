"""Cells that a spreadsheet will not run. Shared by every CSV and XLSX export of the portal.

A value such as ``=HYPERLINK("http://evil", "click")`` typed by a founder would run as a formula
when an organiser opens the export in Excel or LibreOffice (CSV or formula injection). Following
the OWASP guidance, a text cell that starts with ``= + - @``, a tab or a carriage return (also
after leading spaces, which spreadsheets skip) is prefixed with a single quote so that it is shown
as text. Numbers, dates and booleans are left alone.
"""

import csv
from collections.abc import Iterable, Iterator

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Excel opens UTF-8 CSV with accents intact only when the file starts with a byte order mark.
UTF8_BOM = "\ufeff"


def safe_cell(value):
    if not isinstance(value, str) or not value:
        return value
    if value[0] in TRIGGERS or value.lstrip(" \u00a0")[:1] in TRIGGERS:
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
