"""A real Celery worker consuming from the real Redis: e-mails enqueued after commit leave once."""

import datetime as dt
import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction

from accelerator.celery import app
from mail import services as mail_services
from mail.models import OutboxMessage, OutboxStatus
from mail.tasks import deliver, resend_pending
from reminders import services
from reminders.models import Reminder
from tests.factories.applications import ApplicationFactory
from tests.reminders.conftest import CLOSES, hours_before

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs a real Redis broker: set REDIS_URL"),
]


@pytest.fixture
def worker():
    """An in-process worker (solo pool, own thread and DB connection) on the configured Redis."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.control.purge()  # nothing left over from an earlier, interrupted run
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as started:
            yield started
    finally:
        app.conf.task_always_eager = eager


def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def broker_idle():
    client = redis.Redis.from_url(settings.REDIS_URL)
    return client.llen("celery") == 0 and client.hlen("unacked") == 0


@pytest.fixture
def call(db):
    from tests.factories.calls import CallFactory

    return CallFactory(opens_at=CLOSES - dt.timedelta(days=40), closes_at=CLOSES)


def test_reminder_enqueued_after_commit_is_delivered_once(worker, call):
    draft = ApplicationFactory(call=call)
    with transaction.atomic():
        [reminder] = services.send_founder_reminders(hours_before(CLOSES, 48))
        time.sleep(0.5)
        assert mail.outbox == []  # nothing is handed to the broker before the commit
    message = Reminder.objects.get(pk=reminder.pk).message
    assert wait_for(lambda: OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.SENT)
    assert [m.to for m in mail.outbox] == [[draft.owner.email]]

    # A redelivered task, the sweep's re-send and a second sweep change nothing.
    deliver.delay(message.pk)
    resend_pending.delay(0)
    assert services.send_founder_reminders(hours_before(CLOSES, 47)) == []
    assert wait_for(broker_idle)
    time.sleep(0.5)
    assert len(mail.outbox) == 1


def test_delivery_failure_is_retried_by_the_task_with_backoff(worker, call, monkeypatch):
    real_send = EmailMessage.send
    attempts = []

    def flaky_send(self, fail_silently=False):
        attempts.append(time.monotonic())
        if len(attempts) == 1:
            raise ConnectionRefusedError("SMTP server restarting")
        return real_send(self, fail_silently)

    monkeypatch.setattr(EmailMessage, "send", flaky_send)
    monkeypatch.setattr(mail_services, "retry_delay", lambda attempts: dt.timedelta(seconds=1))
    ApplicationFactory(call=call)
    [reminder] = services.send_founder_reminders(hours_before(CLOSES, 48))
    message_id = Reminder.objects.get(pk=reminder.pk).message_id
    assert wait_for(lambda: OutboxMessage.objects.get(pk=message_id).status == OutboxStatus.SENT)
    message = OutboxMessage.objects.get(pk=message_id)
    assert message.attempts == 2 and message.last_error == ""
    assert len(mail.outbox) == 1
    assert attempts[1] - attempts[0] >= 0.9  # waited for the scheduled retry
