"""The call's cockpit: phase, key numbers, the steps in order with the next one highlighted."""

import re

import pytest

from reviews.models import Assignment, Conflict, ConflictSource
from tests.factories.cohorts import locked_shortlist, organiser
from tests.factories.reviews import AssignmentFactory
from tests.reviews.conftest import make_reviewer, submit_review, submitted_app

pytestmark = pytest.mark.django_db


def cockpit(client, call):
    response = client.get(f"/admin/calls/call/{call.pk}/cockpit/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def next_step(html: str) -> str:
    match = re.search(r'<li class="cockpit-next" aria-current="step">\s*<div>\s*<h3>\d+\. ([^<\n]+)', html)
    return match.group(1).strip() if match else ""


def number(html: str, label: str) -> str:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>([^<]*)</dd>", html)
    assert match, label
    return match.group(1)


def test_a_call_under_review_without_reviewers_starts_with_assigning_them(client, call):
    for _ in range(3):
        submitted_app(call)
    client.force_login(organiser())
    html = cockpit(client, call)
    assert "Under review" in html  # calls.phases
    assert number(html, "Submitted") == "3"
    assert number(html, "Short of reviewers") == "3"
    assert number(html, "Shortlist") == "Not run yet"
    assert next_step(html) == "Assign reviewers"
    titles = re.findall(r"<h3>\d+\. ([^<\n]+)", html)
    assert [t.strip() for t in titles] == [
        "Assign reviewers",
        "Follow the reviews",
        "Run the shortlist",
        "Lock the shortlist",
        "Send the offers",
        "Send the decision e-mails",
        "Download the cohort lists",
    ]


def test_the_assign_button_assigns_and_comes_back_with_the_next_step(client, call):
    for organisation, domain in (("meta", "meta.com"), ("hugging_face", "huggingface.co"), ("scaleway", "scw.com")):
        make_reviewer(organisation, [domain])
    application = submitted_app(call)
    client.force_login(organiser())
    response = client.post(f"/admin/calls/call/{call.pk}/cockpit/assign/")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/calls/call/{call.pk}/cockpit/"
    assert Assignment.objects.filter(application=application).count() == 3
    html = cockpit(client, call)
    assert number(html, "Short of reviewers") == "0"
    assert number(html, "Reviews done / due") == "0 / 3"
    assert next_step(html) == "Follow the reviews"
    assert f'href="/admin/reviews/reviewerprogress/?call={call.pk}"' in html


def test_numbers_follow_reviews_and_conflicts(client, call):
    reviewer = make_reviewer()
    application = submitted_app(call)
    submit_review(AssignmentFactory(application=application, reviewer=reviewer))
    Conflict.objects.create(
        application=submitted_app(call), reviewer=make_reviewer(), source=ConflictSource.REVIEWER, reason="Colleague"
    )
    client.force_login(organiser())
    html = cockpit(client, call)
    assert number(html, "Reviews done / due") == "1 / 0"
    assert number(html, "Conflicts declared") == "1"


def test_a_locked_shortlist_leads_to_the_offers(client, call):
    locked_shortlist(call, shortlisted=2, waitlisted=1, ranked=1)
    client.force_login(organiser())
    html = cockpit(client, call)
    assert "Shortlist locked" in html
    assert number(html, "Shortlist") == "Locked"
    assert next_step(html) == "Send the offers"
    assert f'href="/admin/cohorts/offer/call/{call.pk}/"' in html


def test_reachable_from_the_call_list_and_the_admin_home(client, call):
    client.force_login(organiser())
    url = f"/admin/calls/call/{call.pk}/cockpit/"
    assert url in client.get("/admin/calls/call/").content.decode()
    assert url in client.get("/admin/").content.decode()


def test_step_pages_link_back_to_the_cockpit(client, call):
    locked_shortlist(call)
    client.force_login(organiser())
    url = f"/admin/calls/call/{call.pk}/cockpit/"
    for page in (
        f"/admin/cohorts/offer/call/{call.pk}/",
        f"/admin/cohorts/exportjob/call/{call.pk}/",
        f"/admin/cohorts/offer/call/{call.pk}/dashboard/",
    ):
        assert url in client.get(page).content.decode(), page


def test_reviewers_may_not_open_the_cockpit(client, call):
    client.force_login(make_reviewer())
    response = client.get(f"/admin/calls/call/{call.pk}/cockpit/")
    assert response.status_code == 403
    assert client.post(f"/admin/calls/call/{call.pk}/cockpit/assign/").status_code == 403


def test_an_unknown_call_is_a_404(client):
    client.force_login(organiser())
    assert client.get("/admin/calls/call/999999/cockpit/").status_code == 404


def test_the_cockpit_reads_a_bounded_number_of_queries(client, call, django_assert_max_num_queries):
    locked_shortlist(call)
    client.force_login(organiser())
    with django_assert_max_num_queries(30):
        cockpit(client, call)


def test_the_reminder_schedules_read_as_sentences(client, call):
    call.founder_reminder_hours = [168, 48, 3]
    call.reviewer_reminder_hours = [72, 24]
    call.save(update_fields=["founder_reminder_hours", "reviewer_reminder_hours"])
    client.force_login(organiser())
    html = cockpit(client, call)
    assert "7 days, 2 days and 3 hours before the application deadline." in html
    assert "3 days and 1 day before the review deadline." in html
