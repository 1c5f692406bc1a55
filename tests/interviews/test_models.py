import pytest
from django.db import IntegrityError, transaction

from applications.models import Status
from interviews.models import Outcome
from tests.factories.interviews import (
    BookingFactory,
    InterviewCallFactory,
    InvitationFactory,
    PanelScoreFactory,
    SlotFactory,
)

pytestmark = pytest.mark.django_db


def test_factories_build_a_scored_booked_interview():
    score = PanelScoreFactory()
    invitation = score.sheet.invitation
    booking = BookingFactory(invitation=invitation)
    assert booking.slot.call == invitation.call == score.criterion.call
    assert invitation.call.has_interviews
    assert invitation.application.status == Status.SUBMITTED


def test_one_startup_per_slot_and_one_slot_per_startup():
    booking = BookingFactory()
    other = InvitationFactory(call=booking.invitation.call, application__call=booking.invitation.call)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(slot=booking.slot, invitation=other)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(invitation=booking.invitation, slot=SlotFactory(call=booking.slot.call))


def test_a_no_show_needs_its_reason():
    invitation = InvitationFactory()
    invitation.outcome = Outcome.NO_SHOW
    with pytest.raises(IntegrityError), transaction.atomic():
        invitation.save()
    invitation.outcome_reason = "Did not come, no answer by phone."
    invitation.save()
    assert invitation.excluded


def test_the_database_refuses_fewer_invitations_than_places():
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewCallFactory(cohort_size=5, interview_size=3)
