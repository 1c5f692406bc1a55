"""Cohort lists that open cleanly: read back with csv and openpyxl, each value of its own type."""

import csv
import datetime as dt
import io
import zoneinfo

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from cohorts.exports import rows as export_rows
from cohorts.exports import services, writers
from tests.factories.applications import TeamMemberFactory
from tests.factories.calls import CallFactory
from tests.factories.cohorts import locked_shortlist, organiser

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
SUBMITTED = dt.datetime(2027, 3, 9, 22, 15, 42, tzinfo=dt.UTC)  # 23:15 in Paris


@pytest.fixture
def ranked():
    call = CallFactory(slug="ai-startup-programme-2027-meta-hugging-face")
    call, apps = locked_shortlist(call, shortlisted=2, waitlisted=1, ranked=0)
    first = apps[0]
    first.gpu_hours_per_month = 800
    first.submitted_at = SUBMITTED
    first.save()
    first.team_members.all().delete()
    TeamMemberFactory(application=first, name="Pieter Claes", email="pieter.claes@example.org", role="CEO", order=1)
    TeamMemberFactory(application=first, name="An Peeters", email="", role="", order=2)
    TeamMemberFactory(application=first, name="Lena Smits", email="lena@example.org", role="CTO", order=3)
    return call, apps


def download(client, call, fmt, scope="shortlist"):
    client.force_login(organiser())
    if fmt == "xlsx":
        response = client.post(reverse("admin:cohorts_call_export_xlsx", args=[call.pk]), {"scope": scope})
    else:
        response = client.get(
            reverse("admin:cohorts_call_export_file", args=[call.pk]), {"scope": scope, "format": fmt}
        )
    return b"".join(response.streaming_content)


def test_csv_reads_back_with_numbers_dates_and_no_empty_entries(client, ranked):
    call, apps = ranked
    table = list(csv.reader(io.StringIO(download(client, call, "csv").decode("utf-8-sig"), newline="")))
    first = dict(zip(export_rows.KEYS, table[1], strict=True))
    assert first["founder_emails"] == "pieter.claes@example.org; lena@example.org"
    assert first["founders"] == "Pieter Claes; An Peeters; Lena Smits"
    assert first["founder_roles"] == "CEO; CTO"
    assert dt.datetime.strptime(first["submitted_at"], "%Y-%m-%d %H:%M") == dt.datetime(2027, 3, 9, 23, 15)
    assert int(first["rank"]) == 1 and int(first["gpu_hours_per_month"]) == 800
    assert float(first["score"]) == pytest.approx(4.9) and int(first["application_id"]) == apps[0].pk


def test_xlsx_cells_are_typed_sized_and_the_sheet_named_within_31_characters(client, ranked):
    call, _apps = ranked
    workbook = openpyxl.load_workbook(io.BytesIO(download(client, call, "xlsx")))
    sheet = workbook.active
    assert sheet.title == f"Shortlist and waitlist {call.closes_at.year}"
    assert sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    cells = dict(zip(export_rows.KEYS, sheet[2], strict=True))
    assert cells["submitted_at"].is_date and cells["submitted_at"].number_format == "yyyy-mm-dd hh:mm"
    assert cells["submitted_at"].value == dt.datetime(2027, 3, 9, 23, 15)  # Paris time, as the header says
    assert "Paris" in header[export_rows.KEYS.index("submitted_at")]
    for key in ("rank", "gpu_hours_per_month", "reviews", "application_id"):
        assert cells[key].data_type == "n" and isinstance(cells[key].value, int), key
    assert cells["score"].data_type == "n" and isinstance(cells["score"].value, float)
    assert (
        cells["startup"].data_type == "s"
        and cells["founder_emails"].value == "pieter.claes@example.org; lena@example.org"
    )
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    widths = {
        key: sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width
        for i, key in enumerate(export_rows.KEYS, 1)
    }
    assert widths["founder_emails"] >= 40 and widths["startup"] >= 28
    for i, key in enumerate(export_rows.KEYS):
        assert widths[key] >= len(header[i]), key


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("scope", ["cohort", "shortlist", "submitted", None])
def test_sheet_names_fit_excel_in_both_languages(ranked, scope, language):
    call, apps = ranked
    handle = io.BytesIO()
    with translation.override(language):
        if scope is None:
            services.write_xlsx_file(handle, call, "submitted", application_ids=[apps[0].pk], by=None)
        else:
            services.write_xlsx_file(handle, call, scope, by=None)
        label = str(services.SHEET_LABELS[scope]) if scope else translation.gettext("Selection")
    title = openpyxl.load_workbook(handle).active.title
    assert len(title) <= 31 and title.startswith(label), title


def test_sheet_title_keeps_the_whole_label():
    assert writers.sheet_title("Cohort", "2027") == "Cohort 2027"
    assert writers.sheet_title("Liste principale et d'attente", "2027") == "Liste principale et d'attente"
    assert writers.sheet_title("Shortlist: [final]", "2027") == "Shortlist final 2027"
