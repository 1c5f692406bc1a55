"""The .ics of a booking (RFC 5545, read back with the icalendar library) and the calendar links."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from interviews.booking import links, services
from interviews.models import PlaceKind
from tests.factories.interviews import PanelMemberFactory
from tests.interviews.booking_helpers import co_founder, interviewing_call, invite, slot_in

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def ics_of(message) -> icalendar.Calendar:
    (name, content, mimetype), *_ = [
        (a.get_filename(), a.get_payload(decode=True), a.get_content_type()) for a in message.attachments
    ]
    assert name == "interview.ics" and mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(content)


@pytest.fixture
def booked(django_capture_on_commit_callbacks):
    call = interviewing_call()
    invitation = invite(call)
    slot = slot_in(call, hours=72, room="STATION F — Room 2")
    with django_capture_on_commit_callbacks(execute=True):
        booking, _ = services.book(invitation.pk, slot.pk, by=invitation.application.owner)
    return booking


def test_the_booking_email_carries_a_request_in_paris_time(booked):
    (message,) = [m for m in mail.outbox if m.to == [booked.invitation.application.owner.email]]
    part = message.attachments[0]
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == "REQUEST"
    calendar = ics_of(message)
    assert calendar["METHOD"] == "REQUEST" and calendar["VERSION"] == "2.0"
    assert [tz["TZID"] for tz in calendar.timezones] == ["Europe/Paris"]
    (event,) = calendar.events
    assert event["UID"] == f"{booked.uid}@127.0.0.1" or event["UID"].startswith(booked.uid + "@")
    assert event["SEQUENCE"] == 0
    assert event.start.tzinfo.key == "Europe/Paris"
    assert event.start == booked.slot.starts_at.astimezone(PARIS)
    assert event.end - event.start == dt.timedelta(minutes=booked.slot.duration_minutes)
    assert event["LOCATION"] == "STATION F — Room 2"
    assert "DTSTART;TZID=Europe/Paris:" in part.get_payload(decode=True).decode()
    assert str(event["ATTENDEE"]) == f"mailto:{booked.invitation.application.owner.email}"


def test_a_move_keeps_the_uid_and_bumps_the_sequence(booked, django_capture_on_commit_callbacks):
    call = booked.slot.call
    online = slot_in(call, hours=120, place_kind=PlaceKind.ONLINE, room="", online_url="https://meet.example.org/x")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.book(booked.invitation_id, online.pk, by=booked.booked_by)
    (message,) = [m for m in mail.outbox if m.to == [booked.invitation.application.owner.email]]
    (event,) = ics_of(message).events
    assert event["UID"].startswith(booked.uid + "@")
    assert event["SEQUENCE"] == 1
    assert event.start == online.starts_at.astimezone(PARIS)
    assert event["LOCATION"] == "https://meet.example.org/x"
    assert str(event["URL"]) == "https://meet.example.org/x"


def test_the_founders_calendar_link_follows_the_moves(client, booked):
    owner = booked.invitation.application.owner
    url = links.founder_calendar_url(booked.invitation_id, owner.pk)
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = client.get(f"/{path}")  # no session: calendar programs fetch it on their own
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert "METHOD" not in calendar
    (event,) = calendar.events
    assert (event["SEQUENCE"], event.start) == (0, booked.slot.starts_at.astimezone(PARIS))

    later = slot_in(booked.slot.call, hours=150)
    services.book(booked.invitation_id, later.pk, by=owner)
    (event,) = icalendar.Calendar.from_ical(client.get(f"/{path}").content).events
    assert event["UID"].startswith(booked.uid + "@")
    assert (event["SEQUENCE"], event.start) == (1, later.starts_at.astimezone(PARIS))


def test_calendar_links_are_unguessable_and_follow_the_access_rule(client, booked):
    owner = booked.invitation.application.owner
    partner = co_founder(booked.invitation.application)
    good = links.founder_calendar_url(booked.invitation_id, partner.pk).split("/calendar/", 1)[1]
    assert client.get(f"/calendar/{good}").status_code == 200
    forged = good.replace(good.split(":")[0], "WzEsMV0")  # another payload, the same signature
    assert client.get(f"/calendar/{forged}").status_code == 404
    assert client.get(reverse("booking:founder_calendar", args=["nonsense"])).status_code == 404
    # A link made for another startup's founder does not open this one.
    stranger = invite(booked.slot.call).application.owner
    not_theirs = links.founder_calendar_url(booked.invitation_id, stranger.pk).split("/calendar/", 1)[1]
    assert client.get(f"/calendar/{not_theirs}").status_code == 404
    # A co-founder who leaves loses the link.
    partner.memberships.all().delete()
    assert client.get(f"/calendar/{good}").status_code == 404
    mine = links.founder_calendar_url(booked.invitation_id, owner.pk).split("/calendar/", 1)[1]
    assert client.get(f"/calendar/{mine}").status_code == 200


def test_before_booking_the_link_serves_an_empty_calendar_in_paris_time(client):
    call = interviewing_call()
    invitation = invite(call)
    url = links.founder_calendar_url(invitation.pk, invitation.application.owner.pk).split("/calendar/", 1)[1]
    calendar = icalendar.Calendar.from_ical(client.get(f"/calendar/{url}").content)
    assert calendar.events == []
    assert [tz["TZID"] for tz in calendar.timezones] == ["Europe/Paris"]


def test_panel_members_get_a_feed_of_their_interviews(client, booked):
    member = booked.slot.panel.get()
    free = slot_in(booked.slot.call, hours=200, panel=[member])
    slot_in(booked.slot.call, hours=220)  # another panel's
    url = links.panel_calendar_url(member.pk).split("/calendar/", 1)[1]
    response = client.get(f"/calendar/{url}")
    assert response.status_code == 200
    events = icalendar.Calendar.from_ical(response.content).events
    assert [e.start for e in events] == [booked.slot.starts_at.astimezone(PARIS), free.starts_at.astimezone(PARIS)]
    assert booked.invitation.application.startup_name in str(events[0]["SUMMARY"])
    assert "not booked yet" in str(events[1]["SUMMARY"])
    # Someone who is not staff any more loses the feed; a made-up id has none.
    member.is_staff = False
    member.save()
    assert client.get(f"/calendar/{url}").status_code == 404
    other = links.panel_calendar_url(PanelMemberFactory().pk + 1000).split("/calendar/", 1)[1]
    assert client.get(f"/calendar/{other}").status_code == 404
