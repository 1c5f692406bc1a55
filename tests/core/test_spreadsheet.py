import pytest

from accelerator.spreadsheet import safe_cell


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
