"""The interview stage in the organisers' pages: the reception desk's schedule (CSV and XLSX, read
back), the dashboard's and the cockpit's counts and steps."""

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from interviews.models import Outcome, PlaceKind
from interviews.scoring import save_sheet
from tests.factories.applications import TeamMemberFactory
from tests.factories.cohorts import organiser
from tests.factories.interviews import (
    BookingFactory,
    InterviewCallFactory,
    InterviewCriterionFactory,
    InvitationFactory,
    PanelMemberFactory,
    SlotFactory,
)
from tests.factories.reviews import ReviewerFactory

pytestmark = pytest.mark.django_db
# 9:30 and 11:00 in Paris (summer time).
FIRST = dt.datetime(2031, 4, 8, 7, 30, tzinfo=dt.UTC)
SECOND = dt.datetime(2031, 4, 8, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def call():
    call = InterviewCallFactory(title="AI Startup Programme", shortlist_locked_at=timezone.now())
    InterviewCriterionFactory(call=call, name="Pitch")
    return call


@pytest.fixture
def stage(call):
    """Two booked interviews (one online), one invited startup without a slot, a no-show, a free slot."""
    ana = PanelMemberFactory(first_name="Ana", last_name="Diaz")
    ben = PanelMemberFactory(first_name="Ben", last_name="Okafor")
    alpaca = InvitationFactory(call=call, application__call=call, application__startup_name="Alpaca AI")
    TeamMemberFactory(application=alpaca.application, name="=HYPERLINK(1)", email="sam@alpaca.example", order=0)
    TeamMemberFactory(application=alpaca.application, name="Lea Martin", email="lea@alpaca.example", order=1)
    BookingFactory(invitation=alpaca, slot=SlotFactory(call=call, starts_at=SECOND, panel=[ben, ana]))
    bison = InvitationFactory(call=call, application__call=call, application__startup_name="Bison AI")
    TeamMemberFactory(application=bison.application, name="Noor Haddad", email="noor@bison.example")
    online = SlotFactory(
        call=call, starts_at=FIRST, place_kind=PlaceKind.ONLINE, room="", online_url="https://meet.example/bison"
    )
    online.panel.set([ana])
    BookingFactory(invitation=bison, slot=online)
    InvitationFactory(call=call, application__call=call, application__startup_name="Cobra AI")  # not booked
    gone = InvitationFactory(call=call, application__call=call, application__startup_name="Dingo AI")
    BookingFactory(invitation=gone, slot=SlotFactory(call=call, starts_at=SECOND + dt.timedelta(hours=1)))
    gone.outcome, gone.outcome_reason = Outcome.NO_SHOW, "Did not come"
    gone.save()
    SlotFactory(call=call, starts_at=SECOND + dt.timedelta(hours=2))  # free
    save_sheet(alpaca, by=ana, scores={call.interview_criteria.get().pk: 4}, submit=True)
    return {"alpaca": alpaca, "bison": bison, "ana": ana, "ben": ben}


# The schedule -------------------------------------------------------------------------------


def download(client, call, fmt):
    client.force_login(organiser())
    return client.get(f"/admin/cohorts/exportjob/call/{call.pk}/interview-schedule/?format={fmt}")


def test_the_schedule_as_csv_for_the_reception_desk(client, call, stage):
    response = download(client, call, "csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(f'attachment; filename="{call.slug}-interview-schedule-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == [
        "Start (Paris time)",
        "Duration (minutes)",
        "Startup",
        "Founders",
        "Founder e-mails",
        "Place",
        "Room or link",
        "Panel",
        "Outcome",
    ]
    assert rows[1] == [
        "2031-04-08 09:30",
        "30",
        "Bison AI",
        "Noor Haddad",
        "noor@bison.example",
        "Online",
        "https://meet.example/bison",
        "Ana Diaz",
        "Pending",
    ]
    assert rows[2][:3] == ["2031-04-08 11:00", "30", "Alpaca AI"]
    # A founder's name that a spreadsheet would run is neutralised.
    assert rows[2][3] == "'=HYPERLINK(1); Lea Martin"
    assert rows[2][5:8] == ["Room", "STATION F — Room 2", "Ana Diaz; Ben Okafor"]
    assert rows[3][2] == "Dingo AI" and rows[3][8] == "No-show"
    assert len(rows) == 4  # Cobra has no slot; the free slot is no interview


def test_the_schedule_as_xlsx_read_back_with_openpyxl(client, call, stage):
    response = download(client, call, "xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    assert sheet.title == "Interview schedule"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Start (Paris time)"
    assert rows[1][0] == dt.datetime(2031, 4, 8, 9, 30)  # a typed date, in Paris time
    assert rows[1][2] == "Bison AI" and rows[1][6] == "https://meet.example/bison"
    assert rows[2][3] == "'=HYPERLINK(1); Lea Martin"
    assert sheet.freeze_panes == "A2"


def test_the_schedule_in_french(client, call, stage):
    client.force_login(organiser(language="fr"))
    response = client.get(
        f"/admin/cohorts/exportjob/call/{call.pk}/interview-schedule/?format=csv", HTTP_ACCEPT_LANGUAGE="fr"
    )
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffDébut (heure de Paris),")


def test_only_organisers_export_it_and_only_for_a_call_with_interviews(client, call, stage):
    client.force_login(ReviewerFactory())
    assert client.get(f"/admin/cohorts/exportjob/call/{call.pk}/interview-schedule/?format=csv").status_code == 403
    plain = InterviewCallFactory(interview_size=0)
    client.force_login(organiser())
    assert client.get(f"/admin/cohorts/exportjob/call/{plain.pk}/interview-schedule/?format=csv").status_code == 404
    assert client.get(f"/admin/cohorts/exportjob/call/{call.pk}/interview-schedule/?format=json").status_code == 404
    page = client.get(f"/admin/cohorts/exportjob/call/{call.pk}/").content.decode()
    assert "3 interviews booked." in page and "Interview schedule (XLSX)" in page
    assert "Interview schedule" not in client.get(f"/admin/cohorts/exportjob/call/{plain.pk}/").content.decode()


# Dashboard and cockpit ----------------------------------------------------------------------


def number(html: str, label: str) -> str:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>([^<]*)</dd>", html)
    assert match, label
    return match.group(1)


def test_the_dashboard_counts_the_interview_stage(client, call, stage, django_assert_max_num_queries):
    client.force_login(organiser())
    url = f"/admin/cohorts/offer/call/{call.pk}/dashboard/"
    with django_assert_max_num_queries(30):
        html = client.get(url).content.decode()
    assert "3 of 4 invited startups have booked a slot; 1 of 4 slots are free." in html
    assert "Panel sheets: 1 submitted, 0 in draft." in html
    table = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td></tr>', html))
    assert table["Invited"] == "4" and table["Booked"] == "3" and table["Not booked"] == "1"
    assert table["Scored by the panel"] == "1" and table["No-shows"] == "1"


def test_the_dashboards_queries_do_not_grow_with_the_interviews(client, call, stage, django_assert_max_num_queries):
    client.force_login(organiser())
    url = f"/admin/cohorts/offer/call/{call.pk}/dashboard/"
    client.get(url)
    with django_assert_max_num_queries(30) as before:
        client.get(url)
    for _ in range(5):
        BookingFactory(invitation=InvitationFactory(call=call, application__call=call))
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)


def test_the_cockpit_shows_the_interview_steps_and_counts(client, call, stage, django_assert_max_num_queries):
    client.force_login(organiser())
    with django_assert_max_num_queries(40):
        html = client.get(f"/admin/calls/call/{call.pk}/cockpit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert number(html, "Invited to interview") == "4"
    assert number(html, "Booked / not booked") == "3 / 1"
    assert number(html, "Scored by the panel") == "1"
    assert number(html, "No-shows") == "1"
    titles = re.findall(r"<h3>\d+\. ([^<\n]+)", html)
    assert [t.strip() for t in titles] == [
        "Assign reviewers",
        "Follow the reviews",
        "Run the shortlist",
        "Create the interview slots",
        "Lock the shortlist",
        "Invitations out",
        "Bookings",
        "Panel scoring",
        "Run and lock the final ranking",
        "Send the offers",
        "Send the decision e-mails",
        "Download the cohort lists",
    ]
    assert f"/admin/interviews/panelinterview/?call={call.pk}" in html
    assert f"/admin/interviews/slot/?call__id__exact={call.pk}" in html


def test_the_cockpit_without_the_stage_is_unchanged(client):
    plain = InterviewCallFactory(interview_size=0)
    client.force_login(organiser())
    html = client.get(f"/admin/calls/call/{plain.pk}/cockpit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    titles = [t.strip() for t in re.findall(r"<h3>\d+\. ([^<\n]+)", html)]
    assert titles == [
        "Assign reviewers",
        "Follow the reviews",
        "Run the shortlist",
        "Lock the shortlist",
        "Send the offers",
        "Send the decision e-mails",
        "Download the cohort lists",
    ]
    assert "Invited to interview" not in html
