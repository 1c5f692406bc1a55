import pytest

from accelerator.spreadsheet import UTF8_BOM, csv_lines, safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+33 1 23", "'+33 1 23"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Acme = good", "Acme = good"),
        ("", ""),
        (-3, -3),
        (2.5, 2.5),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_csv_lines_are_rfc4180_with_bom_and_neutralised_cells():
    lines = list(csv_lines(["name", "note"], [["=1+1", 'say "hi", then\nleave'], ["Zoë", None]]))
    assert lines[0] == UTF8_BOM + "name,note\r\n"
    assert lines[1] == '\'=1+1,"say ""hi"", then\nleave"\r\n'
    assert lines[2] == "Zoë,\r\n"
