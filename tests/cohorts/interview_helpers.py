"""A call with the interview stage whose review shortlist is locked: four startups invited for a
cohort of two, reviews ranking them A > B > C > D (two more below), shared by the final-ranking tests."""

import datetime as dt

from django.utils import timezone

from calls.models import Call
from cohorts.models import RunTrigger
from cohorts.shortlist.services import lock_run, run_shortlist
from interviews.models import Invitation
from tests.cohorts.conftest import review, submitted
from tests.factories.interviews import PanelMemberFactory, PanelScoreSheetFactory, SlotFactory

# Weighted review scores (every reviewer gives the same) and panel scores, by startup.
REVIEW_SCORES = {"A": 5.0, "B": 4.5, "C": 4.0, "D": 3.5, "E": 2.0, "F": 1.5}
PANEL_SCORES = {"A": 3.0, "B": 1.0, "C": 5.0, "D": 4.0}


def interview_call(call, reviewers, *, weight=0.5):
    Call.objects.filter(pk=call.pk).update(interview_size=4, interview_review_weight=weight)
    call.refresh_from_db()
    for i, (name, score) in enumerate(REVIEW_SCORES.items()):
        application = submitted(call, name, minutes=i)
        for reviewer in reviewers:
            review(application, reviewer, score)
    return call


def lock_reviews(call, organiser):
    run = run_shortlist(call, trigger=RunTrigger.ADMIN, by=organiser)
    return lock_run(run, by=organiser)


def invitations(call) -> dict[str, Invitation]:
    return {i.application.startup_name: i for i in Invitation.objects.filter(call=call).select_related("application")}


def score_interviews(call, scores=PANEL_SCORES, *, panel=None, days_ago=5):
    """Two panel members submit the same score for each startup; the interviews were `days_ago`
    days ago (the panel scoring closes 48 hours after that day ends)."""
    panel = panel or [PanelMemberFactory(), PanelMemberFactory()]
    SlotFactory(call=call, starts_at=timezone.now() - dt.timedelta(days=days_ago), panel=panel)
    invited = invitations(call)
    for name, score in scores.items():
        for member in panel:
            PanelScoreSheetFactory(invitation=invited[name], panel_member=member, weighted_score=score)
    return panel
