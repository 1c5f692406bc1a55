"""An organiser walks the call's phases on the demo, in order: a provisional shortlist while the
call is open, the deadline moved into the past, the lock with the missing reviews acknowledged,
and the offers through their confirmation page."""

import datetime as dt
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from calls.models import Call
from calls.phases import Phase
from cohorts.models import Offer, ShortlistRun
from demo.calls import CURRENT_SLUG
from tests.e2e.checks import assert_accessible, assert_page_is_clean

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def phase_in_the_list(page, call) -> str:
    page.goto("/admin/calls/call/")
    row = page.locator("#result_list tbody tr").filter(has_text=call.title)
    return row.locator("td.field-phase_label").inner_text()


def test_organiser_walks_the_phases_of_the_demo_call(page):
    call_command("seed_demo", verbosity=0)
    call = Call.objects.get(slug=CURRENT_SLUG)
    organiser = User.objects.get(email="organiser@example.org")
    page.goto("/admin/login/")
    page.get_by_label("E-mail").fill(organiser.username)
    page.get_by_label("Password").fill("organiser-demo-2026")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/admin/login/" not in url)

    # Open: the shortlist can be looked at, but the run is provisional and cannot be locked.
    assert phase_in_the_list(page, call) == "Open for applications"
    page.locator("#result_list tbody tr").filter(has_text=call.title).locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label="Run the shortlist")
    page.get_by_role("button", name="Go").first.click()
    page.wait_for_url("**/admin/cohorts/shortlistrun/*/change/")
    page.get_by_text("Provisional shortlist: the call is still open for applications.").wait_for()
    assert page.locator("#provisional-note").is_visible()
    assert page.get_by_role("link", name="Lock this shortlist…").count() == 0
    assert_page_is_clean(page)
    provisional = ShortlistRun.objects.get(call=call)
    assert provisional.provisional

    # The organisers move the application deadline into the past (yesterday noon, Paris time).
    yesterday = (timezone.now().astimezone(PARIS) - dt.timedelta(days=1)).date()
    page.goto(f"/admin/calls/call/{call.pk}/change/")
    assert "Open for applications" in page.locator(".field-phase_now").inner_text()
    page.locator("#id_closes_at_0").fill(yesterday.isoformat())
    page.locator("#id_closes_at_1").fill("12:00:00")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/calls/call/")
    assert_page_is_clean(page)
    call.refresh_from_db()
    assert call.closes_at == dt.datetime.combine(yesterday, dt.time(12), tzinfo=PARIS)
    assert phase_in_the_list(page, call) == "Under review"

    # Run again: now a real run, which can be locked once the missing reviews are acknowledged.
    page.goto(f"/admin/cohorts/shortlistrun/{provisional.pk}/change/")
    page.get_by_role("button", name="Run again").click()
    page.get_by_text("The shortlist was computed again.").wait_for()
    run = ShortlistRun.objects.get(call=call, provisional=False)
    page.get_by_role("link", name="Lock this shortlist…").click()
    page.wait_for_url("**/lock/")
    missing = page.locator("#missing-reviews")
    assert "has not passed yet" in missing.inner_text()
    assert "still missing for these shortlisted or waitlisted startups" in missing.inner_text()
    assert missing.locator("tbody tr").count() >= 1
    assert_accessible(page)
    page.get_by_role("button", name="Yes, lock the shortlist").click()
    page.get_by_text("Tick “Lock anyway” to lock the shortlist all the same.").wait_for()
    run.refresh_from_db()
    assert run.locked_at is None
    page.get_by_label("Lock anyway", exact=False).check()
    page.get_by_role("button", name="Yes, lock the shortlist").click()
    page.get_by_text("The shortlist is locked and the applications' statuses are set.").wait_for()
    assert page.locator("#lock-acknowledgement").inner_text().startswith("Locked before the review deadline.")
    assert_page_is_clean(page)
    run.refresh_from_db()
    assert run.lock_acknowledgement["missing_reviews"] > 0
    assert phase_in_the_list(page, call) == "Shortlist locked"

    # Offers: the confirmation page says who gets one, in which language, answer by when.
    page.goto(f"/admin/calls/call/{call.pk}/change/")
    page.locator(".object-tools").get_by_role("link", name="Offers", exact=True).click()
    page.get_by_role("link", name="Send offers for the 5 free seats…").click()
    page.wait_for_url("**/send/")
    summary = page.locator("#offers-summary").inner_text()
    assert summary.startswith("5 e-mails will be sent now")
    assert "Paris time" in page.locator("#offers-deadline").inner_text()
    shortlisted = [e.application.startup_name for e in run.entries.filter(section="shortlist").order_by("rank")]
    rows = page.locator("#content-main table tbody tr").all_inner_texts()
    assert [row.split("\t")[0] for row in rows] == shortlisted
    assert_accessible(page)
    assert not Offer.objects.filter(call=call).exists()
    page.get_by_role("button", name="Yes, send the offers").click()
    page.get_by_text("5 offers sent for").wait_for()
    assert_page_is_clean(page)
    assert sorted(
        o.application.startup_name for o in Offer.objects.filter(call=call).select_related("application")
    ) == sorted(shortlisted)
    assert Call.objects.get(pk=call.pk).phase == Phase.OFFERS_OUT
    assert phase_in_the_list(page, call) == "Offers out"
