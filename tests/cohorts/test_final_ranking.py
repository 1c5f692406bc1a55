"""The final ranking after the interviews (cohorts.shortlist.final): combination, exclusions, lock
guards, and the offers made from it."""

import pytest
from django.urls import reverse

from applications.models import Status
from applications.services.submission import withdraw_application
from calls.models import Call
from calls.phases import Phase, call_phase
from cohorts.models import RunTrigger, Section, Stage
from cohorts.offers import services as offers
from cohorts.offers.services import OfferError
from cohorts.shortlist import final
from cohorts.shortlist.services import StaleRun, lock_run, run_shortlist, set_override
from interviews.models import Invitation, Outcome, PanelScoreSheet
from tests.cohorts.conftest import submitted
from tests.cohorts.interview_helpers import interview_call, invitations, lock_reviews, score_interviews

pytestmark = pytest.mark.django_db


def names(run, section):
    return [e.application.startup_name for e in run.entries.filter(section=section).order_by("rank")]


@pytest.mark.parametrize(
    ("weight", "cohort", "waitlist"),
    [
        (1.0, ["A", "B"], ["C", "D"]),  # reviews only: the review order
        (0.0, ["C", "D"], ["A", "B"]),  # interviews only: the panel's order
        (0.5, ["C", "A"], ["D", "B"]),  # halves: A .75, B .4375, C .875, D .6875 (shares of the 1–5 range)
    ],
)
def test_each_combination_weight(call, reviewers, organiser, weight, cohort, waitlist):
    interview_call(call, reviewers, weight=weight)
    lock_reviews(call, organiser)
    score_interviews(call)
    run = final.run_final(call, by=organiser)
    assert run.stage == Stage.FINAL
    assert names(run, Section.SHORTLIST) == cohort
    assert names(run, Section.WAITLIST) == waitlist
    # The two parts of each startup are kept for the page, on the mean method's 0..1 scale.
    parts = run.parameters["parts"][str(invitations(call)["A"].application_id)]
    assert parts["review"][0] == pytest.approx(1.0) and parts["interview"][0] == pytest.approx(0.5)


def test_no_shows_are_excluded_with_their_reason(call, reviewers, organiser):
    interview_call(call, reviewers, weight=0.0)
    lock_reviews(call, organiser)
    score_interviews(call)
    no_show = invitations(call)["C"]
    no_show.outcome, no_show.outcome_reason = Outcome.NO_SHOW, "Did not come; no answer by phone."
    no_show.save()
    run = final.run_final(call, by=organiser)
    assert names(run, Section.SHORTLIST) == ["D", "A"]
    assert names(run, Section.EXCLUDED) == ["C"]
    assert run.parameters["excluded"] == {str(no_show.application_id): "Did not come; no answer by phone."}


def test_a_startup_that_withdraws_leaves_the_final_ranking_and_stays_withdrawn(call, reviewers, organiser):
    interview_call(call, reviewers, weight=0.0)
    lock_reviews(call, organiser)
    score_interviews(call)
    before = final.run_final(call, by=organiser)
    leaving = invitations(call)["C"].application
    withdraw_application(leaving.pk, by=leaving.owner)

    assert final.is_stale(before)
    run = final.run_final(call, by=organiser)
    assert names(run, Section.SHORTLIST) == ["D", "A"]
    assert names(run, Section.EXCLUDED) == ["C"]
    assert run.parameters["excluded"] == {str(leaving.pk): "The founders withdrew the application."}
    final.lock_final(run, by=organiser)
    leaving.refresh_from_db()
    assert leaving.status == Status.WITHDRAWN


def test_lock_waits_for_the_scoring_to_close_unless_ticked(call, reviewers, organiser):
    interview_call(call, reviewers)
    lock_reviews(call, organiser)
    score_interviews(call, days_ago=0)  # interviews today: scoring open for two more days
    run = final.run_final(call, by=organiser)
    with pytest.raises(final.ScoringOpen, match="has not closed yet"):
        final.lock_final(run, by=organiser)
    locked = final.lock_final(run, by=organiser, acknowledge_open_scoring=True)
    assert locked.lock_acknowledgement == {"scoring_closed": False, "unscored": 0}
    assert Call.objects.get(pk=call.pk).final_ranking_locked_at == locked.locked_at


def test_a_run_goes_stale_when_a_score_changes(call, reviewers, organiser):
    interview_call(call, reviewers)
    lock_reviews(call, organiser)
    score_interviews(call)
    run = final.run_final(call, by=organiser)
    PanelScoreSheet.objects.filter(invitation=invitations(call)["B"]).update(weighted_score=5.0)
    assert final.is_stale(run)
    with pytest.raises(StaleRun, match="stale"):
        final.lock_final(run, by=organiser)
    fresh = final.run_final(call, by=organiser)
    assert final.lock_final(fresh, by=organiser).locked_at is not None


def test_offers_come_from_the_locked_final_ranking(call, reviewers, organiser):
    interview_call(call, reviewers, weight=0.0)
    lock_reviews(call, organiser)
    assert call_phase(Call.objects.get(pk=call.pk)) == Phase.INTERVIEWS
    score_interviews(call)
    with pytest.raises(OfferError, match="final ranking"):
        offers.send_offers(call, by=organiser)
    run = final.run_final(call, by=organiser)
    final.lock_final(run, by=organiser)
    call.refresh_from_db()
    made = offers.send_offers(call, by=organiser)
    assert sorted(o.application.startup_name for o in made) == ["C", "D"]
    statuses = {i.application.startup_name: i.application.status for i in invitations(call).values()}
    assert statuses == {"A": Status.WAITLISTED, "B": Status.WAITLISTED, "C": Status.OFFERED, "D": Status.OFFERED}
    assert call_phase(Call.objects.get(pk=call.pk)) == Phase.OFFERS_OUT


def test_organisers_inspect_and_lock_the_final_ranking_in_the_admin(client, call, reviewers, organiser):
    interview_call(call, reviewers)
    lock_reviews(call, organiser)
    score_interviews(call)
    client.force_login(organiser)
    response = client.post(
        reverse("admin:calls_call_changelist"), {"action": "run_final_action", "_selected_action": [call.pk]}
    )
    run = call.shortlist_runs.get(stage=Stage.FINAL)
    assert response.url == reverse("admin:cohorts_shortlistrun_change", args=[run.pk])
    page = client.get(response.url).content.decode()
    assert "final = 0.50 × review part + 0.50 × interview part" in page
    assert "Z-score" in page and "Percentile" in page and "interview" in page
    confirm = client.get(reverse("admin:cohorts_shortlistrun_lock", args=[run.pk])).content.decode()
    assert "Yes, lock the final ranking" in confirm and "lock-anyway" not in confirm
    client.post(reverse("admin:cohorts_shortlistrun_lock", args=[run.pk]))
    assert Call.objects.get(pk=call.pk).final_ranking_locked_at is not None


def test_the_locked_review_run_leads_to_the_final_ranking(client, call, reviewers, organiser):
    interview_call(call, reviewers)
    run = run_shortlist(call, trigger=RunTrigger.ADMIN, by=organiser)
    client.force_login(organiser)
    confirm = client.get(reverse("admin:cohorts_shortlistrun_lock", args=[run.pk])).content.decode()
    assert "the 4 shortlisted startups are invited to interview" in confirm
    lock_run(run, by=organiser)
    page = client.get(reverse("admin:cohorts_shortlistrun_change", args=[run.pk])).content.decode()
    assert 'id="run-final"' in page
    score_interviews(call)
    response = client.post(reverse("admin:cohorts_shortlistrun_final", args=[run.pk]))
    final_run = call.shortlist_runs.get(stage=Stage.FINAL)
    assert response.url == reverse("admin:cohorts_shortlistrun_change", args=[final_run.pk])


def test_a_startup_pinned_without_reviews_is_listed_apart_not_ranked(call, reviewers, organiser):
    interview_call(call, reviewers, weight=0.5)
    unreviewed = submitted(call, "Pinned", minutes=30)
    set_override(unreviewed, kind="pin", reason="Strategic partner's pick.", by=organiser)
    lock_reviews(call, organiser)
    assert Invitation.objects.filter(application=unreviewed).exists()
    # The pin takes one of the four invitations: D is not invited.
    score_interviews(call, {"A": 3.0, "B": 1.0, "C": 5.0, "Pinned": 5.0})
    run = final.run_final(call, by=organiser)
    assert "Pinned" in names(run, Section.NOT_ENOUGH_REVIEWS)
    assert "Pinned" not in names(run, Section.SHORTLIST) + names(run, Section.WAITLIST)
