"""Founders book and move their interview on their application page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.booking import services
from interviews.models import Booking
from tests.factories.applications import ApplicationFactory
from tests.factories.interviews import BookingFactory
from tests.interviews.booking_helpers import co_founder, interviewing_call, invite, slot_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return interviewing_call()


def page(application):
    return reverse("booking:page", args=[application.pk])


def book_url(application):
    return reverse("booking:book", args=[application.pk])


def test_invited_founder_sees_free_slots_in_paris_time_and_books_one(client, call):
    invitation = invite(call)
    first, second = slot_in(call, hours=72), slot_in(call, hours=96)
    BookingFactory(slot=slot_in(call, hours=80), invitation=invite(call))  # taken: not offered
    client.force_login(invitation.application.owner)

    response = client.get(page(invitation.application))
    text = response.content.decode()
    assert response.status_code == 200
    assert text.count("Book this slot") == 2
    assert "(Paris time)" in text
    assert "Move to this slot" not in text

    response = client.post(book_url(invitation.application), {"slot": second.pk}, follow=True)
    assert "Your interview is booked" in response.content.decode()
    booking = Booking.objects.get(invitation=invitation)
    assert booking.slot == second and booking.sequence == 0
    assert "Move to this slot" in response.content.decode()
    assert f'value="{first.pk}"' in response.content.decode()


def test_a_co_founder_books_and_moves_too(client, call):
    invitation = invite(call)
    partner = co_founder(invitation.application)
    first, second = slot_in(call, hours=72), slot_in(call, hours=96)
    client.force_login(partner)
    client.post(book_url(invitation.application), {"slot": first.pk})
    client.post(book_url(invitation.application), {"slot": second.pk})
    booking = Booking.objects.get(invitation=invitation)
    assert (booking.slot, booking.sequence, booking.booked_by) == (second, 1, partner)
    assert booking.moved_at is not None


def test_the_slot_just_taken_says_so_and_lists_the_others(client, call):
    mine, theirs = invite(call), invite(call)
    wanted, other = slot_in(call, hours=72), slot_in(call, hours=96)
    client.force_login(mine.application.owner)
    assert "Book this slot" in client.get(page(mine.application)).content.decode()
    services.book(theirs.pk, wanted.pk, by=theirs.application.owner)  # between the page and the click

    response = client.post(book_url(mine.application), {"slot": wanted.pk}, follow=True)
    text = response.content.decode()
    assert "This slot was just taken by another startup" in text
    assert f'value="{other.pk}"' in text and f'value="{wanted.pk}"' not in text
    assert not Booking.objects.filter(invitation=mine).exists()


def test_moves_stop_24_hours_before_the_interview(client, call):
    booking = BookingFactory(slot=slot_in(call, hours=23), invitation=invite(call))
    later = slot_in(call, hours=72)
    client.force_login(booking.invitation.application.owner)
    text = client.get(page(booking.invitation.application)).content.decode()
    assert "starts in less than 24 hours: it can no longer be moved" in text
    assert "Move to this slot" not in text

    with pytest.raises(services.BookingError):
        services.book(booking.invitation_id, later.pk, by=booking.booked_by)
    response = client.post(book_url(booking.invitation.application), {"slot": later.pk}, follow=True)
    assert "can no longer be moved" in response.content.decode()
    booking.refresh_from_db()
    assert booking.slot.starts_at < timezone.now() + dt.timedelta(hours=24)


def test_a_move_at_25_hours_is_allowed_but_not_into_a_slot_within_24(call):
    booking = BookingFactory(slot=slot_in(call, hours=25), invitation=invite(call))
    soon = slot_in(call, hours=20)
    with pytest.raises(services.BookingError, match="less than 24 hours"):
        services.book(booking.invitation_id, soon.pk, by=booking.booked_by)
    later = slot_in(call, hours=48)
    moved, changed = services.book(booking.invitation_id, later.pk, by=booking.booked_by)
    assert changed and moved.slot == later and moved.sequence == 1


def test_booking_closed_says_when(client, call):
    call.interview_booking_closes_at = timezone.now() - dt.timedelta(hours=1)
    call.save()
    invitation = invite(call)
    free = slot_in(call, hours=72)
    client.force_login(invitation.application.owner)
    text = client.get(page(invitation.application)).content.decode()
    assert "Booking closed on" in text and "(Paris time)" in text
    assert "Book this slot" not in text
    client.post(book_url(invitation.application), {"slot": free.pk})
    assert not Booking.objects.exists()


def test_booking_closes_with_the_final_ranking(client, call):
    call.final_ranking_locked_at = timezone.now()
    call.save()
    invitation = invite(call)
    with pytest.raises(services.BookingError, match="Interviews are over"):
        services.book(invitation.pk, slot_in(call).pk, by=invitation.application.owner)


def test_another_founders_application_is_a_404(client, call):
    invitation = invite(call)
    stranger = invite(call).application.owner
    client.force_login(stranger)
    assert client.get(page(invitation.application)).status_code == 404
    assert client.post(book_url(invitation.application), {"slot": slot_in(call).pk}).status_code == 404
    assert client.get(reverse("booking:page", args=[999999])).status_code == 404
    assert not Booking.objects.exists()


def test_not_invited_founders_have_no_booking(client, call):
    application = ApplicationFactory(call=call, submitted=True)
    client.force_login(application.owner)
    assert client.get(page(application)).status_code == 404
    assert client.post(book_url(application), {"slot": slot_in(call).pk}).status_code == 404
    detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Book your interview" not in detail


def test_the_application_page_leads_to_the_booking(client, call):
    invitation = invite(call)
    client.force_login(invitation.application.owner)
    detail = reverse("applications:detail", args=[invitation.application.pk])
    assert "Book your interview" in client.get(detail).content.decode()
    BookingFactory(invitation=invitation, slot=slot_in(call))
    text = client.get(detail).content.decode()
    assert "See or move your interview" in text and "(Paris time)" in text


def test_a_slot_of_another_call_cannot_be_booked(call):
    invitation = invite(call)
    elsewhere = slot_in(interviewing_call())
    with pytest.raises(services.BookingError, match="no longer exists"):
        services.book(invitation.pk, elsewhere.pk, by=invitation.application.owner)


def test_booking_the_same_slot_again_changes_nothing(call):
    invitation = invite(call)
    slot = slot_in(call)
    services.book(invitation.pk, slot.pk, by=invitation.application.owner)
    booking, changed = services.book(invitation.pk, slot.pk, by=invitation.application.owner)
    assert not changed and booking.sequence == 0


def test_the_page_reads_a_bounded_number_of_queries(client, call, django_assert_max_num_queries):
    invitation = invite(call)
    for hours in range(30, 30 + 40 * 2, 2):
        slot_in(call, hours=hours, panel=[])
    BookingFactory(invitation=invitation, slot=slot_in(call, hours=200, panel=[]))
    client.force_login(invitation.application.owner)
    client.get(page(invitation.application))
    with django_assert_max_num_queries(8):
        response = client.get(page(invitation.application))
    assert response.content.decode().count("Move to this slot") == 40
