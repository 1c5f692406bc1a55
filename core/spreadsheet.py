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


# First characters of the texts that safe_cell may change: any other text is returned as it is.
MAYBE_UNSAFE = frozenset(TRIGGERS) | {" ", "\u00a0"}


def safe_cell(value):
    if not isinstance(value, str) or not value:
        return value
    if value[0] in TRIGGERS or value.lstrip(" \u00a0")[:1] in TRIGGERS:
        return "'" + value
    return value


def safe_cells(row: Iterable) -> list:
    """[safe_cell(value) for value in row], testing the first character inline.

    At hundreds of thousands of rows, one function call per cell was a third of an export's time.
    """
    return [safe_cell(v) if isinstance(v, str) and v and v[0] in MAYBE_UNSAFE else v for v in row]


class _Line:
    """A file-like object whose write() hands back the line csv.writer produced."""

    def write(self, value):
        return value


def csv_lines(header: Iterable, rows: Iterable[Iterable], *, bom: bool = True) -> Iterator[str]:
    """RFC 4180 lines (CRLF, quoted as needed) with every cell neutralised, for streaming."""
    writer = csv.writer(_Line())
    yield (UTF8_BOM if bom else "") + writer.writerow(safe_cells(header))
    for row in rows:
        yield writer.writerow(safe_cells(row))
