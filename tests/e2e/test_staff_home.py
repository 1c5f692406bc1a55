"""The admin home per role in a real browser: the reviewer's queue and the organiser's calls."""

import re

import pytest

from reviews.models import ReviewerProfile
from reviews.services import save_reviewer_profile
from tests.applications.helpers import complete
from tests.e2e.artefacts import screenshot
from tests.e2e.checks import assert_accessible, assert_page_is_clean
from tests.e2e.helpers import admin_sign_in, call_in_review
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.cohorts import organiser
from tests.factories.reviews import AssignmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def call():
    return call_in_review()


def check_page(page, name: str) -> None:
    """What the issue asks of every page of the staff journeys: a screenshot kept as an artefact,
    no page wider than the 1,280 px window, axe-core clean, nothing blocked or failing."""
    assert page.viewport_size["width"] == 1280
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280, f"{name} is wider than 1,280 px"
    screenshot(page, name)
    assert_page_is_clean(page)
    assert_accessible(page)
    # axe-core adds an inline style while it checks, which the CSP blocks: the page itself was
    # checked just above, so what axe causes is not counted against the next page.
    page.problems.clear()


def test_reviewer_signs_in_with_their_email_and_starts_the_next_review(page, call):
    profile = ReviewerProfile(user=UserFactory(username="rev@meta.example"), organisation="meta", email_domains=[])
    reviewer = save_reviewer_profile(profile).user
    first = AssignmentFactory(reviewer=reviewer, application=complete(ApplicationFactory(call=call, submitted=True)))
    second = AssignmentFactory(reviewer=reviewer, application=complete(ApplicationFactory(call=call, submitted=True)))
    page.set_viewport_size({"width": 1280, "height": 800})

    page.goto("/admin/")
    page.wait_for_url("**/admin/login/**")
    assert page.get_by_label("E-mail").is_visible()
    check_page(page, "reviewer-login")
    admin_sign_in(page, reviewer)
    page.wait_for_url("**/admin/")
    assert page.get_by_text("2 to do, due").is_visible()
    assert page.get_by_text("(Paris time)").first.is_visible()
    check_page(page, "reviewer-home")

    page.get_by_role("link", name="Start the next review").click()
    page.wait_for_url(f"**/admin/reviews/myreview/{first.pk}/change/")
    assert page.get_by_text("0 of 2 done").is_visible()
    assert page.get_by_text("deck.pdf").first.is_visible()
    assert_deck_viewer(page, first.application)
    check_page(page, "reviewer-scoring-1")
    fill_review(page)
    page.get_by_role("button", name="Submit and open the next review").click()
    page.wait_for_url(f"**/admin/reviews/myreview/{second.pk}/change/")
    assert page.get_by_text("1 of 2 done").is_visible()
    assert page.get_by_role("button", name="Submit and open the next review").count() == 0
    assert_deck_viewer(page, second.application)
    check_page(page, "reviewer-scoring-2")
    fill_review(page)
    page.get_by_role("button", name="Submit review").click()
    page.get_by_text("Review submitted.").wait_for()
    assert page.get_by_text("2 of 2 done").is_visible()
    check_page(page, "reviewer-submitted")

    page.get_by_role("link", name="My reviews").last.click()
    page.wait_for_url("**/admin/reviews/myreview/")
    assert page.get_by_text("2 reviews in your queue").is_visible()
    check_page(page, "reviewer-queue")


def assert_deck_viewer(page, application):
    """The deck shows in place, from the portal itself, beside the answers; the download is kept."""
    viewer = page.locator("iframe.review-deck-viewer")
    viewer.scroll_into_view_if_needed()
    assert viewer.is_visible()
    assert viewer.get_attribute("title") == f"Pitch deck of {application.startup_name}"
    src = viewer.get_attribute("src")
    assert src == f"/applications/{application.pk}/deck/view/"
    # The frame loaded the deck (a refused frame would have logged an error and stayed blank).
    for _ in range(50):
        if any(frame.url.endswith(src) for frame in page.frames):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError(f"the viewer never loaded {src}")
    response = page.request.get(src)
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.body().startswith(b"%PDF")
    assert page.get_by_role("link", name="Download the pitch deck (PDF)").is_visible()


def fill_review(page):
    form = page.locator("form.review-form")
    for name in ("Open models", "Team", "Compute plan"):
        form.get_by_role("group", name=re.compile(rf"^{name}\b")).get_by_label(re.compile(r"^3 –")).check()
    form.get_by_role("group", name="Recommendation").get_by_label("Yes", exact=True).check()
    form.get_by_role("group", name="Confidence").get_by_label("High: my field").check()


def test_organiser_home_starts_from_the_calls(page, call):
    admin_sign_in(page, organiser(username="org@example.org", is_superuser=True))
    page.wait_for_url("**/admin/")
    calls = page.locator(".home-calls")
    assert calls.get_by_role("rowheader", name=call.title).is_visible()
    assert calls.get_by_text("Under review").is_visible()
    assert page.get_by_role("link", name="People and security").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
    screenshot(page, "organiser-home")
    assert_accessible(page)
    assert_page_is_clean(page)


def test_organiser_walks_from_the_home_to_the_cockpit_and_assigns_reviewers(page, call):
    for n in range(3):
        profile = ReviewerProfile(user=UserFactory(username=f"rev{n}@org{n}.example"), organisation="meta")
        save_reviewer_profile(profile)
    complete(ApplicationFactory(call=call, submitted=True, startup_name="Mistral-ish"))
    admin_sign_in(page, organiser(username="org@example.org"))
    page.wait_for_url("**/admin/")
    page.locator(".home-calls").get_by_role("link", name="Open the cockpit").click()
    page.wait_for_url(f"**/admin/calls/call/{call.pk}/cockpit/")
    current = page.locator("li[aria-current=step]")
    assert current.get_by_role("heading", name="Assign reviewers").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
    screenshot(page, "cockpit-assign")
    assert_accessible(page)
    assert_page_is_clean(page)

    current.get_by_role("button", name="Assign reviewers").click()
    page.wait_for_url(f"**/admin/calls/call/{call.pk}/cockpit/")
    assert page.locator("li[aria-current=step]").get_by_role("heading", name="Follow the reviews").is_visible()
    screenshot(page, "cockpit-follow")
    assert_accessible(page)
    assert_page_is_clean(page)
