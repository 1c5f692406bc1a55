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
