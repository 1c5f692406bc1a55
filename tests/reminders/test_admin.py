import smtplib

import pytest
from django.core.mail import EmailMessage
from django.urls import reverse

from mail.models import OutboxStatus
from reminders import services
from reminders.models import Reminder
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.reviews import ReviewerFactory
from tests.reminders.conftest import CLOSES, hours_before

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_reminder(call, monkeypatch, django_capture_on_commit_callbacks):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    ApplicationFactory(call=call, owner=UserFactory(email="farid@example.org", username="farid@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        [sent] = services.send_founder_reminders(hours_before(CLOSES, 48))
    monkeypatch.undo()
    return Reminder.objects.get(pk=sent.pk)


def test_failed_send_is_recorded_and_shown_to_organisers(client, failed_reminder, django_assert_max_num_queries):
    assert failed_reminder.message.status == OutboxStatus.PENDING
    assert failed_reminder.message.attempts == 1
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("admin:reminders_reminder_changelist"))
    html = page.content.decode()
    assert "farid@example.org" in html and "Pending" in html
    detail = client.get(reverse("admin:reminders_reminder_change", args=[failed_reminder.pk])).content.decode()
    assert "connection lost" in detail


def test_organiser_retries_from_the_ledger(client, failed_reminder, django_capture_on_commit_callbacks, mailoutbox):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:reminders_reminder_changelist"),
            {"action": "retry_email", "_selected_action": [failed_reminder.pk]},
        )
    failed_reminder.message.refresh_from_db()
    assert failed_reminder.message.status == OutboxStatus.SENT
    assert [m.to for m in mailoutbox] == [["farid@example.org"]]
    assert Reminder.objects.count() == 1


def test_reviewers_do_not_see_the_ledger(client, failed_reminder):
    client.force_login(ReviewerFactory())
    assert client.get(reverse("admin:reminders_reminder_changelist")).status_code == 403
