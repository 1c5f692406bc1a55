"""A reviewer scores an assigned application in the admin, in a real browser."""

import re

import pytest

from reviews.models import Review, ReviewerProfile, ReviewStatus
from reviews.services import save_reviewer_profile
from tests.applications.helpers import complete
from tests.e2e.checks import assert_page_is_clean
from tests.e2e.helpers import admin_sign_in, call_in_review
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.reviews import AssignmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCORES = {"Open models": 5, "Team": 4, "Compute plan": 2}  # weights 3, 2, 1 -> (15 + 8 + 2) / 6


@pytest.fixture
def assignment():
    """A call in review (closed yesterday, reviews due in two weeks) and one application for one reviewer."""
    call = call_in_review()
    application = complete(ApplicationFactory(call=call, startup_name="", submitted=True))
    ApplicationFactory(call=call, startup_name="Someone Else's Startup", submitted=True)
    profile = ReviewerProfile(user=UserFactory(username="rev@meta.example"), organisation="meta", email_domains=[])
    reviewer = save_reviewer_profile(profile).user
    return AssignmentFactory(reviewer=reviewer, application=application)


def test_reviewer_scores_each_criterion_and_submits(page, assignment):
    application = assignment.application
    admin_sign_in(page, assignment.reviewer)
    page.get_by_role("link", name="My reviews").first.click()
    page.wait_for_url("**/admin/reviews/myreview/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1  # only their own assignment
    assert rows.first.get_by_text("To do").is_visible()
    assert_page_is_clean(page)

    rows.first.get_by_role("link", name=application.startup_name).click()
    page.wait_for_url(f"**/admin/reviews/myreview/{assignment.pk}/change/")
    assert page.get_by_role("heading", name=application.startup_name, level=1).is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pitch deck (PDF)").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")

    form = page.locator("form.review-form")
    for name, value in SCORES.items():
        form.get_by_role("group", name=re.compile(rf"^{name}\b")).get_by_label(re.compile(rf"^{value} –")).check()
    # The weighted score shows as the reviewer picks (static/reviews/review-form.js, under the CSP).
    assert page.locator("[data-weighted-score]").inner_text() == "4.17"
    form.get_by_role("group", name="Recommendation").get_by_label("Strong yes").check()
    form.get_by_role("group", name="Confidence").get_by_label("High: my field").check()
    form.get_by_label("Comments for organisers").fill("Strong team; realistic GPU plan.")
    form.get_by_role("button", name="Submit review").click()
    page.get_by_text("Review submitted. You can still change it until the deadline.").wait_for()
    assert page.get_by_text("Other reviewers' scores are shown once you submit yours.").count() == 0
    assert_page_is_clean(page)

    review = Review.objects.get(assignment=assignment)
    assert review.status == ReviewStatus.SUBMITTED
    assert round(review.weighted_score, 2) == 4.17
    assert {s.criterion.name: s.value for s in review.scores.select_related("criterion")} == SCORES
    assert (review.recommendation, review.confidence) == ("strong_yes", 3)

    page.goto("/admin/reviews/myreview/")
    assert page.locator("#result_list tbody tr").first.get_by_text("Submitted").is_visible()
    assert_page_is_clean(page)


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const label = el.closest('label');
            return {tag: el.tagName, name: el.name || '', value: el.value || '', text: el.textContent.trim(),
                    outline: label ? getComputedStyle(label).outlineStyle : getComputedStyle(el).outlineStyle};
        }"""
    )


def test_reviewer_scores_with_the_keyboard_only(page, assignment):
    """Tab reaches the form through the skip link, the arrow keys choose within each criterion, the
    focus shows, and Enter submits: no mouse from the top of the page to the submitted review."""
    criteria = {c.name: f"criterion_{c.pk}" for c in assignment.application.call.criteria.all()}
    admin_sign_in(page, assignment.reviewer)
    page.goto(f"/admin/reviews/myreview/{assignment.pk}/change/")

    for _ in range(40):
        page.keyboard.press("Tab")
        if focused(page)["text"] == "Skip to your review":
            break
    else:
        raise AssertionError("Tab never reached “Skip to your review”")
    page.keyboard.press("Enter")

    for name, value in SCORES.items():
        page.keyboard.press("Tab")  # into the criterion's group, on its first value
        now = focused(page)
        assert (now["name"], now["value"]) == (criteria[name], "1")
        assert now["outline"] == "solid", "the focused score must show"
        page.keyboard.press("Space")
        for _ in range(value - 1):
            page.keyboard.press("ArrowRight")
        assert (focused(page)["name"], focused(page)["value"]) == (criteria[name], str(value))
    assert page.locator("[data-weighted-score]").inner_text() == "4.17"
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "recommendation"
    page.keyboard.press("Space")  # the first: Strong yes
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "confidence"
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # High: my field
    page.keyboard.press("Tab")
    assert focused(page)["tag"] == "TEXTAREA"
    page.keyboard.type("Scored without a mouse.")
    page.keyboard.press("Tab")
    assert focused(page)["value"] == "Save draft"
    page.keyboard.press("Tab")
    assert focused(page)["value"] == "Submit review"
    page.keyboard.press("Enter")
    page.get_by_text("Review submitted. You can still change it until the deadline.").wait_for()
    assert_page_is_clean(page)

    review = Review.objects.get(assignment=assignment)
    assert review.status == ReviewStatus.SUBMITTED
    assert {s.criterion.name: s.value for s in review.scores.select_related("criterion")} == SCORES
    assert (review.recommendation, review.confidence, review.comments) == ("strong_yes", 3, "Scored without a mouse.")
