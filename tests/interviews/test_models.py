import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from applications.models import Status
from interviews.models import Outcome
from tests.factories.accounts import UserFactory
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


def test_the_interview_rubric_is_fixed_once_scored(client):
    score = PanelScoreFactory()
    call = score.criterion.call
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:calls_call_change", args=[call.pk])).content.decode()
    assert 'name="interview_criteria-0-name_en"' in page
    assert 'name="interview_criteria-0-weight"' not in page
    assert "interview_criteria-__prefix__" not in page  # nothing to add
    fresh = InterviewCallFactory()
    page = client.get(reverse("admin:calls_call_change", args=[fresh.pk])).content.decode()
    assert "interview_criteria-__prefix__-weight" in page
