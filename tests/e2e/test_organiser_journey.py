"""The organiser's journey through the demo call in a 1,280 px window: the admin home, the cockpit
and every step page, each checked with axe-core, its width, its title, and kept as a screenshot."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from calls.models import Call
from demo.calls import CURRENT_SLUG
from mail.models import MailTemplate
from tests.e2e.artefacts import screenshot
from tests.e2e.checks import assert_accessible, assert_page_is_clean
from tests.e2e.layout import assert_fits_the_window, assert_title_clear

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "organiser-demo-2026"


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)
    return Call.objects.get(slug=CURRENT_SLUG)


def sign_in(page):
    organiser = User.objects.get(email="organiser@example.org")
    page.goto("/admin/login/")
    page.get_by_label("E-mail").fill(organiser.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/admin/login/" not in url)


def check(page, name, title=True):
    """The page as the organiser sees it: clean, within the window, its title visible, accessible."""
    assert_page_is_clean(page)
    assert_fits_the_window(page)
    if title:
        assert_title_clear(page)
    screenshot(page, name)
    assert_accessible(page)
    # axe-core adds an inline style while it checks, which the CSP blocks: not the page's fault.
    page.problems.clear()
    page.evaluate("() => { window.__cspViolations = []; }")


def test_the_call_form_fits_the_window(page, demo):
    sign_in(page)
    page.goto(f"/admin/calls/call/{demo.pk}/change/")
    check(page, "organiser-call-form")


def cockpit_step(page, call, title):
    """The cockpit's step `title` (its <li>), after coming back to the cockpit."""
    page.goto(f"/admin/calls/call/{call.pk}/cockpit/")
    return page.locator(".cockpit-steps li").filter(has=page.get_by_role("heading", name=title))


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Move the focus with the Tab key alone until it reaches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def test_organiser_walks_the_cockpit_of_the_demo_call(page, demo):
    sign_in(page)
    page.wait_for_url("**/admin/")
    check(page, "journey-01-home")

    page.locator(".home-calls tr").filter(has_text=demo.title).get_by_role("link", name="Open the cockpit").click()
    page.wait_for_url(f"**/admin/calls/call/{demo.pk}/cockpit/")
    check(page, "journey-02-cockpit-open")

    # The call settings, with the reminders as a sentence and the countries as a checklist.
    page.goto(f"/admin/calls/call/{demo.pk}/change/")
    assert page.get_by_text("before the application deadline.").first.is_visible()
    countries = page.locator(".country-checklist")
    countries.get_by_label("Find a country").fill("switz")
    assert countries.locator(".country-option:visible").count() == 1
    countries.get_by_role("button", name="Clear").click()
    assert countries.get_by_text("Selected: 0").is_visible()
    countries.get_by_role("button", name="Select all EU/EEA (30)").click()
    assert countries.get_by_text("Selected: 30").is_visible()
    schedule = page.locator(".reminder-schedule").first
    schedule.get_by_role("button", name="Add a reminder").click()
    page.keyboard.type("12")
    page.keyboard.press("Tab")
    page.keyboard.press("End")  # the last unit: hours
    sentence = schedule.locator(".reminder-preview").inner_text()
    assert sentence == "7 days, 2 days, 12 hours and 3 hours before the application deadline."
    check(page, "journey-03-call-form")

    # The applications close (yesterday): the review steps open.
    demo.closes_at = timezone.now() - dt.timedelta(days=1)
    demo.save(update_fields=["closes_at"])

    step = cockpit_step(page, demo, "Assign reviewers")
    if step.get_by_role("button", name="Assign reviewers").count():
        step.get_by_role("button", name="Assign reviewers").click()
        page.wait_for_url(f"**/admin/calls/call/{demo.pk}/cockpit/")
    check(page, "journey-04-cockpit-closed")

    cockpit_step(page, demo, "Follow the reviews").get_by_role("link", name="See the reviewers' progress").click()
    page.wait_for_url("**/admin/reviews/reviewerprogress/**")
    check(page, "journey-05-reviewers-progress")

    cockpit_step(page, demo, "Run the shortlist").get_by_role("button", name="Run the shortlist").click()
    page.wait_for_url("**/admin/cohorts/shortlistrun/*/change/")
    check(page, "journey-06-shortlist")

    cockpit_step(page, demo, "Lock the shortlist").get_by_role("link", name="Review and lock…").click()
    page.wait_for_url("**/lock/")
    check(page, "journey-07-lock")
    if page.get_by_label("Lock anyway", exact=False).count():
        page.get_by_label("Lock anyway", exact=False).check()
    page.get_by_role("button", name="Yes, lock the shortlist").click()
    page.get_by_text("The shortlist is locked and the applications' statuses are set.").wait_for()

    cockpit_step(page, demo, "Send the offers").get_by_role("link", name="Go to the offers").click()
    page.wait_for_url(f"**/admin/cohorts/offer/call/{demo.pk}/")
    check(page, "journey-08-offers")
    page.locator("#send-offers").click()
    page.wait_for_url("**/send/")
    check(page, "journey-09-offers-confirm")
    page.get_by_role("button", name="Yes, send the offers").click()
    page.get_by_text("offers sent for").wait_for()
    check(page, "journey-10-offers-sent")

    cockpit_step(page, demo, "Download the cohort lists").get_by_role("link", name="Go to the cohort lists").click()
    check(page, "journey-11-cohort-lists")

    page.locator(".object-tools").get_by_role("link", name="Dashboard").click()
    page.locator("#scores-h").wait_for()
    labels = page.locator("#content-main table").last.locator("tbody th").all_inner_texts()
    assert labels[-1] == "4.5–5.0" and "5.0–5.5" not in labels
    check(page, "journey-12-dashboard")

    page.locator(".object-tools").get_by_role("link", name="E-mail texts").click()
    assert page.get_by_role("rowheader", name="Reminder to founders with a draft").count() == 1
    assert page.get_by_text("reminder_founder").count() == 0
    check(page, "journey-13-email-texts")

    # Keyboard alone: change a subject and save it with the Enter key.
    page.get_by_role("rowheader", name="Offer of a seat").locator("xpath=..").get_by_role("link").first.click()
    page.wait_for_url("**/offer/en/")
    check(page, "journey-14-email-text")
    page.locator("body").focus()
    tab_to(page, "#id_subject")
    page.keyboard.press("Control+a")
    page.keyboard.type("A seat for {{ startup_name }} in {{ call_title }}")
    page.keyboard.press("Enter")
    page.get_by_text("The e-mail text was saved").wait_for()
    assert MailTemplate.objects.get(call=demo, kind="offer", language="en").subject.startswith("A seat for")
    check(page, "journey-15-email-text-saved")
