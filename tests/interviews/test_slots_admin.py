"""Organisers make interview slots in the admin, one by one or as a series, without clashes."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Slot
from tests.factories.cohorts import organiser
from tests.factories.interviews import BookingFactory, PanelMemberFactory
from tests.interviews.booking_helpers import interviewing_call, invite, slot_in

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def boss(client):
    user = organiser()
    client.force_login(user)
    return user


def next_week():
    return timezone.localdate() + dt.timedelta(days=7)


def at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


def series(call, panel, **overrides):
    data = {
        "call": call.pk,
        "day": next_week().isoformat(),
        "first_start": "09:00",
        "count": 4,
        "duration_minutes": 30,
        "gap": 10,
        "place_kind": "room",
        "room": "STATION F — Room 2",
        "online_url": "",
        "panel": [p.pk for p in panel],
        "notes": "",
    }
    return {**data, **overrides}


def test_a_series_makes_n_slots_in_paris_time(client, boss):
    call = interviewing_call()
    panel = [PanelMemberFactory(), PanelMemberFactory()]
    response = client.post(reverse("admin:interviews_slot_series"), series(call, panel), follow=True)
    assert "4 slots created." in response.content.decode()
    slots = list(Slot.objects.filter(call=call).order_by("starts_at"))
    day = next_week()
    assert [s.starts_at for s in slots] == [at(day, 9), at(day, 9, 40), at(day, 10, 20), at(day, 11)]
    assert all(set(s.panel.all()) == set(panel) and s.created_by == boss for s in slots)


def test_a_series_clashing_with_a_room_or_a_panel_member_makes_nothing(client, boss):
    call = interviewing_call()
    busy = PanelMemberFactory(first_name="Ada", last_name="Lovelace")
    day = next_week()
    Slot.objects.create(call=call, starts_at=at(day, 10), duration_minutes=30, room="station f — room 2")
    taken = Slot.objects.create(call=call, starts_at=at(day, 9, 45), duration_minutes=30, room="Room 9")
    taken.panel.set([busy])
    response = client.post(reverse("admin:interviews_slot_series"), series(call, [busy]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "station f — room 2 is already taken from" in text
    assert "Ada Lovelace already sits on the panel of another slot from" in text
    assert "(Paris time)" in text
    assert Slot.objects.filter(call=call).count() == 2


def test_a_series_form_says_what_is_missing(client, boss):
    call = interviewing_call()
    response = client.post(
        reverse("admin:interviews_slot_series"), series(call, [], place_kind="online", room="", online_url="")
    )
    assert "Give the link of the online meeting." in response.content.decode()
    response = client.post(reverse("admin:interviews_slot_series"), series(call, [], room=" "))
    assert "Say which room" in response.content.decode()
    assert not Slot.objects.exists()


def test_one_slot_at_a_time_is_checked_for_clashes_too(client, boss):
    call = interviewing_call()
    day = next_week()
    member = PanelMemberFactory()
    existing = Slot.objects.create(call=call, starts_at=at(day, 14), duration_minutes=60, room="Room 1")
    existing.panel.set([member])
    data = {
        "call": call.pk,
        "starts_at_0": day.isoformat(),
        "starts_at_1": "14:30",
        "duration_minutes": 30,
        "place_kind": "online",
        "online_url": "https://meet.example.org/a",
        "room": "",
        "panel": [member.pk],
        "notes": "",
    }
    response = client.post(reverse("admin:interviews_slot_add"), data)
    assert "already sits on the panel of another slot" in response.content.decode()
    data["panel"] = []
    response = client.post(reverse("admin:interviews_slot_add"), data)
    assert response.status_code == 302
    created = Slot.objects.exclude(pk=existing.pk).get()
    assert created.starts_at == at(day, 14, 30) and created.room == "" and created.created_by == boss


def test_the_list_shows_booked_and_free_slots_with_the_startup(client, boss, django_assert_max_num_queries):
    call = interviewing_call()
    booking = BookingFactory(invitation=invite(call), slot=slot_in(call, hours=48))
    for hours in range(60, 60 + 20):
        slot_in(call, hours=hours)
    client.get(reverse("admin:interviews_slot_changelist"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("admin:interviews_slot_changelist"))
    text = response.content.decode()
    assert booking.invitation.application.startup_name in text
    assert text.count("(Paris time)") >= 21
    assert "Add a series of slots" in text
    assert "/calendar/panel/" in text and "My interviews calendar" in text
    booked = client.get(reverse("admin:interviews_slot_changelist") + "?booked=yes").content.decode()
    assert booking.invitation.application.startup_name in booked and "1 interview slot" in booked


def test_moving_a_booked_slot_tells_the_founders_with_a_new_sequence(client, boss, django_capture_on_commit_callbacks):
    from django.core import mail

    call = interviewing_call()
    booking = BookingFactory(invitation=invite(call), slot=slot_in(call, hours=48, panel=[]))
    slot = booking.slot
    local = slot.starts_at.astimezone(PARIS)
    data = {
        "call": call.pk,
        "starts_at_0": local.date().isoformat(),
        "starts_at_1": (local + dt.timedelta(hours=1)).strftime("%H:%M"),
        "duration_minutes": 30,
        "place_kind": "room",
        "room": slot.room,
        "online_url": "",
        "panel": [],
        "notes": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:interviews_slot_change", args=[slot.pk]), data)
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.sequence == 1
    (message,) = mail.outbox
    assert message.to == [booking.invitation.application.owner.email] and "moved" in message.subject


def test_reviewers_cannot_open_the_slots(client):
    client.force_login(PanelMemberFactory())
    assert client.get(reverse("admin:interviews_slot_changelist")).status_code == 403
    assert client.get(reverse("admin:interviews_slot_series")).status_code == 403
