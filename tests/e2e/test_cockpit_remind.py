"""From the call's cockpit, an organiser reminds the reviewers who have reviews due, and every step
page they pass through leads back to the cockpit: in a real browser, each page checked."""

import pytest

from mail.models import OutboxMessage
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


def check_page(page, name: str) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280, f"{name} is wider than 1,280 px"
    screenshot(page, name)
    assert_page_is_clean(page)
    assert_accessible(page)
    page.problems.clear()  # what axe-core's own inline style causes is not the next page's fault


def test_organiser_reminds_the_reviewers_with_reviews_due_from_the_cockpit(page):
    call = call_in_review()
    for n, language in enumerate(("en", "fr")):
        profile = ReviewerProfile(
            user=UserFactory(username=f"rev{n}@org{n}.example", first_name=f"Reviewer{n}", language=language),
            organisation="meta",
        )
        reviewer = save_reviewer_profile(profile).user
        AssignmentFactory(reviewer=reviewer, application=complete(ApplicationFactory(call=call, submitted=True)))
    page.set_viewport_size({"width": 1280, "height": 800})
    admin_sign_in(page, organiser(username="org@example.org"))
    page.goto(f"/admin/calls/call/{call.pk}/cockpit/")

    page.get_by_role("link", name="Remind reviewers with reviews due…").click()
    page.wait_for_url(f"**/admin/calls/call/{call.pk}/remind-reviewers/")
    assert page.locator("#remind-reviewers tbody tr").count() == 2
    assert page.get_by_text("(Paris time)").first.is_visible()
    check_page(page, "cockpit-remind-confirm")

    page.get_by_role("button", name="Send the 2 reminders").click()
    page.wait_for_url(f"**/admin/calls/call/{call.pk}/cockpit/")
    assert page.get_by_text("A reminder was sent to each of the 2 reviewers with reviews due.").is_visible()
    assert OutboxMessage.objects.filter(kind="reminder_reviewer").count() == 2

    page.get_by_role("link", name="Remind reviewers with reviews due…").click()
    assert page.get_by_text("there is nothing to send").is_visible()  # once a day
    page.get_by_role("link", name=f"← Call cockpit: {call.title}").click()
    page.wait_for_url(f"**/admin/calls/call/{call.pk}/cockpit/")

    page.get_by_role("link", name="See the reviewers' progress").click()
    page.wait_for_url("**/admin/reviews/reviewerprogress/**")
    check_page(page, "cockpit-review-progress")
    page.get_by_role("link", name=f"← Call cockpit: {call.title}").click()
    page.wait_for_url(f"**/admin/calls/call/{call.pk}/cockpit/")
    assert OutboxMessage.objects.filter(kind="reminder_reviewer").count() == 2
