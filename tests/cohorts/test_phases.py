"""The organisers' steps move the call through its phases (calls.phases), and the admin shows it."""

import pytest
from django.urls import reverse

from calls.models import Call
from calls.phases import Phase, call_phase
from cohorts.models import RunTrigger
from cohorts.offers import services as offers
from cohorts.shortlist.services import lock_run, run_shortlist
from tests.cohorts.conftest import review, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(call, reviewers):
    for i in range(4):
        app = submitted(call, f"Startup {i}", minutes=i)
        for reviewer in reviewers:
            review(app, reviewer, 1 + (i + reviewer.pk) % 5)
    return call


def phase_of(call):
    return call_phase(Call.objects.get(pk=call.pk))


def test_lock_offers_and_decisions_move_the_call_forward(ranked, organiser, django_capture_on_commit_callbacks):
    assert phase_of(ranked) == Phase.UNDER_REVIEW
    run = run_shortlist(ranked, trigger=RunTrigger.ADMIN, by=organiser)
    assert phase_of(ranked) == Phase.UNDER_REVIEW
    run = lock_run(run, by=organiser)
    assert phase_of(ranked) == Phase.SHORTLIST_LOCKED
    assert Call.objects.get(pk=ranked.pk).shortlist_locked_at == run.locked_at
    made = offers.send_offers(ranked, by=organiser)
    assert phase_of(ranked) == Phase.OFFERS_OUT
    for offer in made:
        offers.respond(offer, accept=True, by=offer.application.owner)
    with django_capture_on_commit_callbacks(execute=True):
        offers.start_decisions(ranked, by=organiser)
    assert phase_of(ranked) == Phase.DECIDED


def test_the_call_admin_shows_the_phase_in_the_list_and_on_the_form(client, organiser, call):
    client.force_login(organiser)
    listing = client.get(reverse("admin:calls_call_changelist")).content.decode()
    assert "Under review" in listing
    form = client.get(reverse("admin:calls_call_change", args=[call.pk])).content.decode()
    assert "Under review" in form
    assert "run the shortlist and lock it" in form
    Call.objects.filter(pk=call.pk).update(shortlist_locked_at=call.review_deadline)
    form = client.get(reverse("admin:calls_call_change", args=[call.pk])).content.decode()
    assert "Shortlist locked" in form and "Send the offers from the Offers page" in form
    dashboard = client.get(reverse("admin:cohorts_call_dashboard", args=[call.pk])).content.decode()
    assert "Phase: Shortlist locked" in dashboard
