"""Attachments ride with an outbox e-mail: stored with it, sent with it, retried with it."""

import pytest
from django.core import mail

from mail.models import OutboxMessage
from mail.services import attachment, deliver, queue_mail

pytestmark = pytest.mark.django_db

ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


def test_an_attachment_is_stored_and_sent_with_its_content_type_parameters(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_mail(
            kind="application_erased",
            to="someone@example.org",
            context={},
            dedupe_key="attachment-test",
            attachments=[attachment("event.ics", "text/calendar; method=REQUEST; charset=utf-8", ICS)],
        )
    assert OutboxMessage.objects.get(pk=message.pk).attachments[0]["filename"] == "event.ics"
    (sent,) = mail.outbox
    (part,) = sent.attachments
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "event.ics"
    assert part.get_payload(decode=True).decode() == ICS
    # Queued again with the same key: the first e-mail stands, nothing more is sent.
    again = queue_mail(kind="application_erased", to="someone@example.org", context={}, dedupe_key="attachment-test")
    assert again.pk == message.pk and len(mail.outbox) == 1
    assert not deliver(message.pk)


def test_e_mails_without_attachments_are_unchanged(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue_mail(kind="application_erased", to="someone@example.org", context={}, dedupe_key="plain")
    (sent,) = mail.outbox
    assert sent.attachments == []
