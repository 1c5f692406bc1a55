"""Every page a cockpit step leads to links back to the call's cockpit, where the page knows its call."""

import pytest
from django.utils.html import escape

from tests.factories.cohorts import ShortlistRunFactory, closed_call, locked_shortlist, organiser
from tests.reviews.conftest import submitted_app

pytestmark = pytest.mark.django_db


def back_link(call) -> str:
    return f'<a href="/admin/calls/call/{call.pk}/cockpit/">← Call cockpit: {escape(call.title)}</a>'


def page(client, url) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_steps_after_the_lock_lead_back(client):
    call, _ = locked_shortlist(closed_call(title="Open models & friends 2026"))
    run = call.shortlist_runs.get()
    client.force_login(organiser(is_superuser=True))
    for url in (
        f"/admin/cohorts/offer/call/{call.pk}/",  # offers, and the decision e-mails below them
        f"/admin/cohorts/exportjob/call/{call.pk}/",  # cohort lists
        f"/admin/cohorts/offer/call/{call.pk}/dashboard/",
        f"/admin/cohorts/shortlistrun/?call__id__exact={call.pk}",  # the runs of the call
        f"/admin/cohorts/shortlistrun/{run.pk}/change/",
    ):
        assert back_link(call) in page(client, url), url


def test_the_review_steps_and_the_lock_lead_back(client, call):
    run = ShortlistRunFactory(call=closed_call(title="Closed call"), locked_at=None)
    submitted_app(call)
    client.force_login(organiser(is_superuser=True))
    assert back_link(call) in page(client, f"/admin/reviews/reviewerprogress/?call={call.pk}")
    assert back_link(call) in page(client, f"/admin/reviews/applicationprogress/?call={call.pk}")
    assert back_link(run.call) in page(client, f"/admin/cohorts/shortlistrun/{run.pk}/change/")
    assert back_link(run.call) in page(client, f"/admin/cohorts/shortlistrun/{run.pk}/lock/")


def test_a_list_of_every_call_has_no_single_cockpit_to_go_back_to(client, call):
    client.force_login(organiser(is_superuser=True))
    assert "Call cockpit:" not in page(client, "/admin/reviews/reviewerprogress/")
    assert "Call cockpit:" not in page(client, "/admin/reviews/reviewerprogress/?call=nonsense")


def test_assigning_by_hand_leads_back_when_the_applications_share_a_call(client, call):
    applications = [submitted_app(call), submitted_app(call)]
    client.force_login(organiser(is_superuser=True))
    response = client.post(
        "/admin/applications/application/",
        {"action": "assign_reviewers_by_hand", "_selected_action": [a.pk for a in applications]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert back_link(call) in response.content.decode()
