"""The interview stage end to end (issue #20): an organiser turns it on and creates slots, the
review shortlist's lock invites the top startups, a founder books then moves a slot, a panel
member scores, and the organiser locks the final ranking and sends the offers."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from accounts.roles import ORGANISERS
from calls.models import Call
from calls.phases import Phase
from cohorts.models import Offer, ShortlistRun, Stage
from interviews.models import Booking, InterviewCriterion, Invitation, PanelScoreSheet, SheetStatus
from tests.e2e.checks import assert_accessible, assert_page_is_clean
from tests.e2e.helpers import admin_sign_in, call_in_review
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.reviews import AssignmentFactory, ReviewerFactory, ReviewFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# Four reviewed startups for a cohort of two; the organiser invites three to interview.
STARTUPS = {"Alpha": 4.8, "Bravo": 4.4, "Charlie": 4.0, "Delta": 3.0}


def founder_sign_in(page, user, live_server):
    """A signed-in founder session (the sign-in page has its own journey)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def world():
    call = call_in_review()
    Call.objects.filter(pk=call.pk).update(cohort_size=2, min_reviews=1)
    call.refresh_from_db()
    reviewer = ReviewerFactory()
    founders = {}
    for name, score in STARTUPS.items():
        owner = UserFactory(first_name=name, language="en")
        application = ApplicationFactory(call=call, owner=owner, startup_name=name, submitted=True)
        ReviewFactory(assignment=AssignmentFactory(application=application, reviewer=reviewer), weighted_score=score)
        founders[name] = owner
    organiser = UserFactory(is_staff=True, username="organiser@example.org", first_name="Olivia")
    organiser.groups.add(Group.objects.get(name=ORGANISERS))
    panel = UserFactory(is_staff=True, username="panel@example.org", first_name="Pat", last_name="Panel")
    return call, organiser, panel, founders


def test_interview_stage_from_the_review_lock_to_the_offers(open_page, world, live_server):
    call, organiser, panel, founders = world
    page = open_page()
    admin_sign_in(page, organiser)

    # 1. The organiser turns the interview stage on: three startups, reviews and interviews half
    # and half, booking open until after the review deadline, and a one-line interview rubric.
    closes = (timezone.now().astimezone(PARIS) + dt.timedelta(days=20)).date()
    page.goto(f"/admin/calls/call/{call.pk}/change/")
    page.locator("#id_interview_size").fill("3")
    page.locator("#id_interview_review_weight").fill("0.5")
    page.locator("#id_interview_booking_closes_at_0").fill(closes.isoformat())
    page.locator("#id_interview_booking_closes_at_1").fill("18:00:00")
    page.get_by_role("button", name="Add another Interview criterion").click()
    page.locator("#id_interview_criteria-0-name_en").fill("Pitch")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/calls/call/")
    assert_page_is_clean(page)
    call.refresh_from_db()
    assert call.has_interviews and call.interview_size == 3
    assert call.interview_booking_closes_at == dt.datetime.combine(closes, dt.time(18), tzinfo=PARIS)
    criterion = InterviewCriterion.objects.get(call=call)

    # 2. Slots: a series of three in a STATION F room, three days ahead, with Pat on the panel.
    day = (timezone.now().astimezone(PARIS) + dt.timedelta(days=3)).date()
    page.goto("/admin/interviews/slot/")
    page.get_by_role("link", name="Add a series of slots").click()
    page.locator("#id_call").select_option(label=call.title)
    page.locator("#id_day").fill(day.isoformat())
    page.locator("#id_first_start").fill("10:00")
    page.locator("#id_count").fill("3")
    page.locator("#id_room").fill("STATION F — Room 2")
    page.get_by_label(re.compile("Pat Panel")).check()
    page.get_by_role("button", name="Create the slots").click()
    page.wait_for_url("**/admin/interviews/slot/**")
    assert_page_is_clean(page)
    assert call.interview_slots.count() == 3

    # 3. The review shortlist: run, lock (before the review deadline: "lock anyway"), which
    # invites the top three.
    page.goto("/admin/calls/call/")
    page.locator("#result_list tbody tr").filter(has_text=call.title).locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label="Run the shortlist")
    page.get_by_role("button", name="Go").first.click()
    page.wait_for_url("**/admin/cohorts/shortlistrun/*/change/")
    review_run = ShortlistRun.objects.get(call=call, stage=Stage.REVIEW)
    page.get_by_role("link", name="Lock this shortlist…").click()
    page.wait_for_url("**/lock/")
    assert "the 3 shortlisted startups are invited to interview" in page.locator("#invites-note").inner_text()
    assert_accessible(page)
    page.get_by_label("Lock anyway", exact=False).check()
    page.get_by_role("button", name="Yes, lock the shortlist").click()
    page.get_by_text("The shortlisted startups are invited to interview").wait_for()
    assert_page_is_clean(page)
    invited = list(Invitation.objects.filter(call=call).order_by("review_rank"))
    assert [i.application.startup_name for i in invited] == ["Alpha", "Bravo", "Charlie"]
    assert Call.objects.get(pk=call.pk).phase == Phase.INTERVIEWS

    # 4. Alpha's founder books a slot from the application page, then moves it.
    founder = open_page()
    founder_sign_in(founder, founders["Alpha"], live_server)
    alpha = invited[0].application
    founder.goto(f"/applications/{alpha.pk}/")
    assert "Invited to interview" in founder.locator("body").inner_text()
    assert_accessible(founder)
    founder.get_by_role("link", name="Book your interview").click()
    founder.get_by_role("button", name="Book this slot").first.click()
    founder.locator("#booked-time").wait_for()
    assert "Paris time" in founder.locator("#booked-time").inner_text()
    first = Booking.objects.get(invitation=invited[0]).slot
    founder.get_by_role("button", name="Move to this slot").last.click()
    founder.wait_for_load_state()
    booking = Booking.objects.get(invitation=invited[0])
    assert booking.slot != first and booking.sequence == 1
    assert_accessible(founder)
    assert_page_is_clean(founder)

    # 5. Pat scores Alpha's interview in the admin.
    scorer = open_page()
    admin_sign_in(scorer, panel)
    scorer.goto(f"/admin/interviews/panelinterview/{invited[0].pk}/change/")
    scorer.locator(f"input[name=criterion_{criterion.pk}][value='4']").check()
    scorer.get_by_role("button", name="Submit scores").click()
    scorer.wait_for_load_state()
    assert_page_is_clean(scorer)
    sheet = PanelScoreSheet.objects.get(invitation=invited[0], panel_member=panel)
    assert sheet.status == SheetStatus.SUBMITTED and sheet.weighted_score == 4

    # 6. The organiser runs the final ranking from the locked review run, inspects it and locks
    # it: scoring is still open and two invited startups have no score, so "lock anyway".
    page.goto(f"/admin/cohorts/shortlistrun/{review_run.pk}/change/")
    page.get_by_role("button", name="Run the final ranking").click()
    page.get_by_text("The final ranking was computed again.").wait_for()
    assert "final = 0.50 × review part + 0.50 × interview part" in page.locator("#combination").inner_text()
    cohort = page.locator("#section-shortlist").locator("xpath=..")
    assert "Alpha" in cohort.inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Lock this final ranking…").click()
    page.wait_for_url("**/lock/")
    assert "2 invited startups have no submitted panel score" in page.locator("#scoring-open").inner_text()
    assert_accessible(page)
    page.get_by_label("Lock anyway", exact=False).check()
    page.get_by_role("button", name="Yes, lock the final ranking").click()
    page.get_by_text("The final ranking is locked: offers now come from it.").wait_for()
    assert_page_is_clean(page)
    assert Call.objects.get(pk=call.pk).final_ranking_locked_at is not None

    # 7. Offers come from the final ranking: Alpha, the only startup interviewed and scored.
    page.goto(f"/admin/calls/call/{call.pk}/change/")
    page.locator(".object-tools").get_by_role("link", name="Offers", exact=True).click()
    page.get_by_role("link", name=re.compile(r"Send offers? for the 2 free seats…")).click()
    page.wait_for_url("**/send/")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, send the offers").click()
    page.get_by_text("1 offer sent for").wait_for()
    assert_page_is_clean(page)
    assert [o.application.startup_name for o in Offer.objects.filter(call=call)] == ["Alpha"]
    assert Call.objects.get(pk=call.pk).phase == Phase.OFFERS_OUT
