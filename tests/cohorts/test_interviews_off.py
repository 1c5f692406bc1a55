"""With the interview stage off (interview_size 0, the default) the flow is the one before it."""

import pytest

from applications.selectors import founder_status
from calls import phases
from calls.models import Call
from calls.phases import Phase, call_phase
from cohorts.models import RunTrigger, Section, Stage
from cohorts.offers import services as offers
from cohorts.shortlist import final
from cohorts.shortlist.services import lock_run, run_shortlist
from interviews.models import Invitation
from mail.models import OutboxMessage
from tests.cohorts.conftest import review, submitted
from tests.cohorts.interview_helpers import REVIEW_SCORES

pytestmark = pytest.mark.django_db


def test_flow_unchanged_when_off(call, reviewers, organiser):
    assert call.interview_size == 0 and not call.has_interviews
    for i, (name, score) in enumerate(REVIEW_SCORES.items()):
        application = submitted(call, name, minutes=i)
        for reviewer in reviewers:
            review(application, reviewer, score)
    run = run_shortlist(call, trigger=RunTrigger.ADMIN, by=organiser)
    assert run.stage == Stage.REVIEW and run.parameters["cohort_size"] == call.cohort_size == 2
    lock_run(run, by=organiser)
    call = Call.objects.get(pk=call.pk)
    assert call_phase(call) == Phase.SHORTLIST_LOCKED
    assert phases.next_step(call) == str(phases.NEXT_STEP[Phase.SHORTLIST_LOCKED])
    assert phases.ready_for_offers(call) and not phases.interviewing(call)
    assert not Invitation.objects.exists()
    assert not OutboxMessage.objects.filter(kind="interview_invitation").exists()
    a = call.applications.get(startup_name="A")
    assert founder_status(a).label == "Under review"
    with pytest.raises(final.ShortlistError, match="no interview stage"):
        final.run_final(call, by=organiser)
    made = offers.send_offers(call, by=organiser)
    assert sorted(o.application.startup_name for o in made) == ["A", "B"]
    assert [e.application.startup_name for e in run.entries.filter(section=Section.WAITLIST).order_by("rank")] == [
        "C",
        "D",
    ]
    assert call_phase(Call.objects.get(pk=call.pk)) == Phase.OFFERS_OUT
