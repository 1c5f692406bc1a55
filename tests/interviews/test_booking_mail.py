"""The booking e-mails: to each founder in their language with the .ics, to the panel, exactly once."""

import pytest
from django.core import mail

from interviews.booking import services
from mail.models import OutboxMessage
from mail.templating import KINDS, discover_kinds
from tests.factories.interviews import PanelMemberFactory
from tests.interviews.booking_helpers import co_founder, interviewing_call, invite, slot_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    call = interviewing_call()
    invitation = invite(call)
    partner = co_founder(invitation.application, language="fr")
    alice, bob = PanelMemberFactory(), PanelMemberFactory(language="fr")
    first = slot_in(call, hours=72, panel=[alice])
    second = slot_in(call, hours=96, panel=[bob])
    return invitation, partner, alice, bob, first, second


def sent_to(person):
    return [m for m in mail.outbox if m.to == [person.email]]


def test_each_founder_gets_one_confirmation_in_their_language(world, django_capture_on_commit_callbacks):
    invitation, partner, alice, bob, first, _second = world
    owner = invitation.application.owner
    with django_capture_on_commit_callbacks(execute=True):
        services.book(invitation.pk, first.pk, by=owner)
    (english,) = sent_to(owner)
    (french,) = sent_to(partner)
    assert english.subject.startswith("Your interview for") and "(Paris time)" in english.subject
    assert "STATION F" in english.body and "/calendar/interview/" in english.body
    assert french.subject.startswith("Votre entretien") and "(heure de Paris)" in french.subject
    assert len(english.attachments) == len(french.attachments) == 1
    (panel,) = sent_to(alice)
    assert invitation.application.startup_name in panel.body and "/calendar/panel/" in panel.body
    assert not sent_to(bob)


def test_a_move_tells_founders_and_both_panels_once(world, django_capture_on_commit_callbacks):
    invitation, partner, alice, bob, first, second = world
    owner = invitation.application.owner
    services.book(invitation.pk, first.pk, by=owner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.book(invitation.pk, second.pk, by=owner)
        services.book(invitation.pk, second.pk, by=partner)  # the same click again: nothing more
    (moved,) = sent_to(owner)
    assert moved.subject.startswith("Your interview for") and "moved to" in moved.subject
    assert "It was at" in moved.body
    (left,) = sent_to(alice)
    assert "free again" in left.body
    (arrived,) = sent_to(bob)
    assert "a déplacé son entretien" in arrived.body
    assert OutboxMessage.objects.filter(kind="interview_moved").count() == 2


def test_queueing_a_booking_again_sends_nothing_more(world, django_capture_on_commit_callbacks):
    from interviews.booking import mail as booking_mail

    invitation, _partner, _alice, _bob, first, _second = world
    booking, _ = services.book(invitation.pk, first.pk, by=invitation.application.owner)
    before = OutboxMessage.objects.count()
    booking_mail.tell_booking(booking)  # a retried request, a second worker
    assert OutboxMessage.objects.count() == before == 3


def test_the_kinds_are_editable_with_their_placeholders():
    assert {"interview_booked", "interview_moved", "interview_panel_update"} <= set(discover_kinds())
    assert "calendar_url" in KINDS["interview_booked"].placeholders
    assert "previous_time" in KINDS["interview_moved"].placeholders


def test_deleting_an_account_deletes_the_calendar_files_sent_to_it(world):
    from privacy.services import erase_account

    invitation, partner, _alice, _bob, first, _second = world
    services.book(invitation.pk, first.pk, by=invitation.application.owner)
    assert OutboxMessage.objects.get(recipient=partner, kind="interview_booked").attachments
    erase_account(partner.pk)
    erased = OutboxMessage.objects.get(recipient=partner, kind="interview_booked")
    assert erased.attachments == [] and erased.body == ""
