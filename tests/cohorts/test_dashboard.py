import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Status
from cohorts import dashboard
from cohorts.offers import services
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.cohorts import locked_shortlist, organiser
from tests.factories.reviews import AssignmentFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_call():
    call, apps = locked_shortlist(shortlisted=5, waitlisted=1, ranked=1)
    apps[0].foundation_models = ["llama", "mistral"]
    apps[0].country = "DE"
    apps[0].save()
    apps[1].foundation_models = ["llama"]
    apps[1].save()
    ApplicationFactory.create_batch(2, call=call)  # drafts
    ApplicationFactory(call=call, status=Status.SUBMITTED, submitted_at=call.closes_at - dt.timedelta(days=1))
    for score in (4.2, 4.4, 2.0):
        ReviewFactory(assignment=AssignmentFactory(application=apps[0]), weighted_score=score)
    AssignmentFactory(application=apps[1])  # assigned, not reviewed
    offers = services.send_offers(call)
    services.respond(offers[0], accept=True, by=apps[0].owner)
    return call, apps


def test_numbers(busy_call):
    call, _apps = busy_call
    assert dict(dashboard.funnel(call)) == {
        "Drafts": 2,
        "Submitted": 8,
        "Reviewed": 1,
        "Shortlisted": 5,
        "Offered": 5,
        "Accepted": 1,
    }
    assert dict(dashboard.models_used(call))["Llama"] == 2
    assert dict(dashboard.models_used(call))["Mistral"] == 1
    countries = dict(dashboard.countries(call))
    assert countries["France"] == 7 and countries["Germany"] == 1
    scores = dict(dashboard.score_distribution(call))
    assert list(scores) == ["1.0–1.5", "1.5–2.0", "2.0–2.5", "2.5–3.0", "3.0–3.5", "3.5–4.0", "4.0–4.5", "4.5–5.0"]
    assert scores["2.0–2.5"] == 1 and scores["4.0–4.5"] == 2 and sum(scores.values()) == 3
    progress = dashboard.review_progress(call)
    assert progress["totals"]["assigned"] == 4 and progress["totals"]["submitted"] == 3
    days = dashboard.per_day(call)
    today = timezone.localdate()
    assert any(c["day"] == today and c["submitted"] == 7 for c in days["rows"])
    assert days["chart"]["marker_x"] is not None  # the deadline is marked


def test_page_shows_charts_with_numbers_and_no_inline_script(client, busy_call, django_assert_max_num_queries):
    call, _apps = busy_call
    client.force_login(organiser())
    url = reverse("admin:cohorts_call_dashboard", args=[call.pk])
    with django_assert_max_num_queries(20):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="portal-chart"') == 6 and "Deadline" in html
    assert "Accepted" in html and "Llama" in html and "Germany" in html
    assert "<script>" not in html.replace(" ", "")


def test_query_count_does_not_grow_with_applications(client, busy_call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call, _apps = busy_call
    client.force_login(organiser())
    url = reverse("admin:cohorts_call_dashboard", args=[call.pk])
    client.get(url)  # the first request of a session also records the staff activity time
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    ApplicationFactory.create_batch(30, call=call, submitted=True, foundation_models=["qwen"])
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_dashboard_is_for_organisers_only(client, busy_call):
    call, _apps = busy_call
    url = reverse("admin:cohorts_call_dashboard", args=[call.pk])
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 403


def test_empty_call_dashboard(client):
    from tests.factories.calls import CallFactory

    call = CallFactory()
    client.force_login(organiser())
    response = client.get(reverse("admin:cohorts_call_dashboard", args=[call.pk]))
    assert response.status_code == 200 and "No submitted review yet" in response.content.decode()
