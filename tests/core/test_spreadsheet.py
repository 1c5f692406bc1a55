import pytest

from core.spreadsheet import UTF8_BOM, csv_lines, safe_cell


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+33 6 12", "-2", "@SUM(A1)", "\t=1", "\r=1", "  =HYPERLINK(1)", "\u00a0@x", "\n=1"],
)
def test_cells_a_spreadsheet_would_run_are_quoted(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Écoute IA", "a=b", "email@example.com", "", "'already"])
def test_plain_text_is_left_alone(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [None, 5, -3, 2.5, True])
def test_non_text_is_left_alone(value):
    assert safe_cell(value) == value


def test_csv_lines_are_rfc4180_with_bom_and_neutralised_cells():
    lines = list(csv_lines(["name", "note"], [["=1+1", 'say "hi", then\nleave'], ["Zoë", None]]))
    assert lines[0] == UTF8_BOM + "name,note\r\n"
    assert lines[1] == '\'=1+1,"say ""hi"", then\nleave"\r\n'
    assert lines[2] == "Zoë,\r\n"
