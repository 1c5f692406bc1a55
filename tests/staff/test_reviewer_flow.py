"""Reviewing in one flow: the deck's file, progress, and "Submit and open the next review"."""

import re

import pytest

from reviews.models import ReviewStatus
from tests.applications.helpers import complete
from tests.factories.applications import ApplicationFactory
from tests.factories.reviews import AssignmentFactory
from tests.reviews.conftest import make_reviewer, submit_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(call):
    reviewer = make_reviewer()
    apps = [ApplicationFactory(call=call, submitted=True, startup_name=name) for name in ("Alpha", "Bravo", "Charlie")]
    assignments = [AssignmentFactory(application=app, reviewer=reviewer) for app in apps]
    return reviewer, assignments


def review_url(assignment):
    return f"/admin/reviews/myreview/{assignment.pk}/change/"


def test_the_scoring_page_shows_the_decks_file_and_the_progress(client, queue):
    reviewer, assignments = queue
    application = assignments[1].application
    application.pitch_deck_name = "Bravo seed deck.pdf"
    application.pitch_deck_size = 2_400_000
    application.save()
    complete(application)
    application.refresh_from_db()
    submit_review(assignments[0])
    client.force_login(reviewer)
    html = client.get(review_url(assignments[1]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert application.pitch_deck_name in html
    assert "MB" in html
    assert "1 of 3 done" in html
    assert 'value="Save draft"' in html
    assert 'value="Submit and open the next review"' in html


def test_submit_and_open_the_next_review(client, call, queue):
    reviewer, assignments = queue
    client.force_login(reviewer)
    page = client.get(review_url(assignments[0])).content.decode()
    response = client.post(review_url(assignments[0]), _form(page, call))
    assert response.status_code == 302
    assert response["Location"] == review_url(assignments[1])
    assignments[0].refresh_from_db()
    assert assignments[0].review.status == ReviewStatus.SUBMITTED


def _form(page, call):
    """Every radio group of the form answered (scores at 4 or their maximum), and the next-review button."""
    data = {"recommendation": "yes", "confidence": "2", "comments": "", "_submit_next": "1"}
    for name in sorted(set(re.findall(r'<input type="radio" name="([^"]+)"', page))):
        values = re.findall(rf'<input type="radio" name="{re.escape(name)}" value="([^"]+)"', page)
        if name not in data and values:
            data[name] = values[min(3, len(values) - 1)] if name.startswith(("score", "criterion")) else values[0]
    return data


def test_the_last_review_has_no_next_button(client, queue):
    reviewer, assignments = queue
    for assignment in assignments[:2]:
        submit_review(assignment)
    client.force_login(reviewer)
    html = client.get(review_url(assignments[2]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Submit and open the next review" not in html
    assert "2 of 3 done" in html


def test_the_list_is_titled_my_reviews(client, queue):
    reviewer, _ = queue
    client.force_login(reviewer)
    html = client.get("/admin/reviews/myreview/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>My reviews</h1>" in html
    assert "Select my review to change" not in html


def test_the_list_reads_as_a_queue_without_the_calls_long_title(client, call, queue):
    reviewer, _ = queue
    call.title = "AI Startup Programme 2026 — Meta × Hugging Face × Scaleway, the long official title"
    call.save()
    client.force_login(reviewer)
    html = client.get("/admin/reviews/myreview/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    columns = re.findall(r'<th scope="col" class="[^"]*column-([a-z_]+)', html)
    assert columns[:4] == ["startup", "country", "state_badge", "review_deadline"]
    rows = html[html.index('id="result_list"') :]
    assert call.title not in rows[: rows.index("</table>")]
