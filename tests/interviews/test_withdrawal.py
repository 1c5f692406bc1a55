"""A founder withdraws an application invited to interview: the interview is released."""

import pytest
from django.urls import reverse

from applications.models import Status
from interviews.booking import services as booking
from interviews.models import Booking, Invitation, Outcome
from interviews.services import startup_withdrew
from tests.factories.interviews import BookingFactory
from tests.interviews.booking_helpers import interviewing_call, invite, slot_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return interviewing_call()


def withdraw(client, application):
    client.force_login(application.owner)
    return client.post(reverse("applications:withdraw", args=[application.pk]), follow=True)


def test_withdrawing_frees_the_booked_slot_for_another_startup(client, call):
    invitation = invite(call, application__status=Status.SHORTLISTED)
    slot = slot_in(call, hours=72)
    BookingFactory(slot=slot, invitation=invitation)

    response = withdraw(client, invitation.application)

    assert "Your application is withdrawn" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.outcome == Outcome.WITHDRAWN
    assert invitation.outcome_reason == "The founders withdrew the application."
    assert invitation.outcome_recorded_by == invitation.application.owner
    assert not Booking.objects.filter(slot=slot).exists()
    other = invite(call, application__status=Status.SHORTLISTED)
    booked, changed = booking.book(other.pk, slot.pk, by=other.application.owner)
    assert changed and booked.slot == slot


def test_an_interview_already_held_keeps_its_booking(call):
    invitation = invite(call, application__status=Status.SHORTLISTED)
    held = BookingFactory(slot=slot_in(call, hours=-48), invitation=invitation)

    startup_withdrew(invitation.application_id)

    assert Booking.objects.filter(pk=held.pk).exists()
    assert Invitation.objects.get(pk=invitation.pk).outcome == Outcome.WITHDRAWN


def test_a_withdrawal_heard_twice_changes_nothing_more(call):
    invitation = invite(call, application__status=Status.SHORTLISTED)
    first = startup_withdrew(invitation.application_id)
    again = startup_withdrew(invitation.application_id)
    assert first.outcome_recorded_at == again.outcome_recorded_at


def test_an_application_never_invited_withdraws_as_before(client, call):
    from tests.factories.applications import ApplicationFactory

    application = ApplicationFactory(call=call, submitted=True, status=Status.SHORTLISTED)
    withdraw(client, application)
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert not Invitation.objects.filter(application=application).exists()
