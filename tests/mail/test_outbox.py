import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone

from mail import services, tasks
from mail.models import OutboxMessage, OutboxStatus
from tests.factories.mail import OutboxMessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plain_render(monkeypatch):
    monkeypatch.setattr(services, "render_mail", lambda kind, ctx, lang: (f"{kind} [{lang}]", f"Hi {ctx['name']}\n"))


def test_queued_mail_is_sent_after_commit_only(plain_render, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = services.queue_mail(kind="hello", to="a@example.com", context={"name": "Ada"}, language="fr")
    assert len(mail.outbox) == 0  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert [m.subject for m in mail.outbox] == ["hello [fr]"]
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.sent_at is not None


def test_same_dedupe_key_is_sent_once(plain_render, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.queue_mail(kind="hello", to="a@example.com", context={"name": "A"}, dedupe_key="k1")
        again = services.queue_mail(kind="hello", to="a@example.com", context={"name": "A"}, dedupe_key="k1")
    assert first.pk == again.pk
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.count() == 1


def test_delivering_twice_sends_once():
    message = OutboxMessageFactory()
    assert services.deliver(message.pk) is True
    assert services.deliver(message.pk) is False
    assert len(mail.outbox) == 1


def test_smtp_failure_is_recorded_and_retried_later(monkeypatch):
    message = OutboxMessageFactory()

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("connection lost")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    assert services.deliver(message.pk) is False
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert "connection lost" in message.last_error
    assert message.next_attempt_at > timezone.now()

    monkeypatch.undo()
    # The sweep finds it once its retry time has come.
    later = message.next_attempt_at + dt.timedelta(minutes=2)
    assert services.due_message_ids(now=later) == [message.pk]
    assert services.deliver(message.pk) is True
    assert len(mail.outbox) == 1


def test_gives_up_after_max_attempts(monkeypatch):
    message = OutboxMessageFactory(attempts=services.MAX_ATTEMPTS - 1)
    monkeypatch.setattr(EmailMessage, "send", lambda self, fail_silently=False: 1 / 0)
    services.deliver(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED


def test_broker_down_does_not_fail_the_caller(plain_render, monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks.deliver, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        message = services.queue_mail(kind="hello", to="a@example.com", context={"name": "A"})
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert len(mail.outbox) == 0
    monkeypatch.undo()
    # The periodic sweep delivers it once the broker is back.
    old = timezone.now() - dt.timedelta(minutes=5)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=old)
    assert tasks.resend_pending.delay().get() == 1
    assert len(mail.outbox) == 1


def test_retry_delay_grows_and_is_capped():
    assert services.retry_delay(1) < services.retry_delay(3)
    assert services.retry_delay(30) <= dt.timedelta(hours=1, minutes=15)
