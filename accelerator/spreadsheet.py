"""Cells that a spreadsheet will not run.

A value such as ``=HYPERLINK("http://evil", "click")`` typed by a founder would run as a formula
when an organiser opens the export in Excel or LibreOffice (CSV or formula injection). Following
the OWASP guidance, a text cell that starts with ``= + - @``, a tab or a carriage return (also
after leading spaces, which spreadsheets skip) is prefixed with a single quote so that it is shown
as text. Numbers, dates and booleans are left alone.
"""

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value):
    if not isinstance(value, str) or not value:
        return value
    if value[0] in TRIGGERS or value.lstrip(" \u00a0")[:1] in TRIGGERS:
        return "'" + value
    return value
