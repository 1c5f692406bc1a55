"""Reliability under faults: the broker down, the SMTP server refusing. Nothing lost, nothing doubled."""

import datetime as dt
import threading
import time

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from applications.services.submission import submit_application
from mail import services
from mail.models import OutboxMessage, OutboxStatus
from mail.tasks import resend_pending
from tests.applications.helpers import complete, post_data, url
from tests.cache_helpers import kill_cache
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory
from tests.factories.mail import OutboxMessageFactory
from tests.mail.faults import FlakySMTPBackend, broker_at, dead_broker_url


def founder_flow_with_the_broker_down(client, application, callbacks):
    """Save, submit, withdraw through the founders' pages while no broker answers."""
    client.force_login(application.owner)
    with broker_at(dead_broker_url()), callbacks(execute=True):
        response = client.post(url("edit", application), post_data(application, city="Lyon"))
        assert response.status_code == 302
        response = client.post(url("submit", application), follow=True)
        assert "Your application is submitted" in response.content.decode()
        response = client.post(url("withdraw", application), follow=True)
        assert "Your application is withdrawn" in response.content.decode()
    application.refresh_from_db()
    assert (application.city, application.status) == ("Lyon", "withdrawn")
    owed = OutboxMessage.objects.filter(to=application.owner.email).order_by("pk")
    assert [(m.kind, m.status, m.attempts) for m in owed] == [
        ("application_submitted", "pending", 0),
        ("application_withdrawn", "pending", 0),
    ]
    assert mail.outbox == []  # nothing could be handed over, and nothing was lost
    return owed


def due_for_the_sweep(messages):
    # The sweep leaves messages to their own task for a few minutes; these tasks never reached a broker.
    messages.update(next_attempt_at=timezone.now() - dt.timedelta(minutes=10))


@pytest.mark.django_db
def test_founders_work_with_the_broker_down_and_every_mail_follows_once(
    client, django_capture_on_commit_callbacks, settings
):
    # The cache and the sessions' copy in it are on the same Redis in production; with it down too,
    # founders still sign in and work.
    kill_cache(settings)
    application = complete(ApplicationFactory(call=CallFactory(), owner=UserFactory()))
    owed = founder_flow_with_the_broker_down(client, application, django_capture_on_commit_callbacks)

    # The broker is back (here: tasks in-process); beat's sweep delivers what the requests could not.
    due_for_the_sweep(owed)
    assert resend_pending.delay().get() == 2
    assert [(m.to, m.subject.split(":")[0]) for m in mail.outbox] == [
        ([application.owner.email], "Application submitted"),
        ([application.owner.email], "Application withdrawn"),
    ]
    assert set(owed.values_list("status", flat=True)) == {"sent"}
    # Later sweeps, and a redelivered task, send nothing more.
    due_for_the_sweep(owed)
    assert resend_pending.delay().get() == 0
    assert [services.deliver(m.pk) for m in owed] == [False, False]
    assert len(mail.outbox) == 2


@pytest.fixture
def worker():
    """A real Celery worker (solo pool, own thread and DB connection) on the real Redis broker."""
    from celery.contrib.testing.worker import start_worker

    from accelerator.celery import app

    with broker_at(settings.REDIS_URL):
        app.control.purge()
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as started:
            yield started


def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs a real Redis broker: set REDIS_URL")
def test_with_redis_unreachable_founders_work_and_a_real_worker_delivers_once_it_is_back(
    client, django_capture_on_commit_callbacks, worker
):
    application = complete(ApplicationFactory(call=CallFactory(), owner=UserFactory()))
    owed = founder_flow_with_the_broker_down(client, application, django_capture_on_commit_callbacks)

    # Redis answers again: beat's sweep goes through it to the worker, which sends each e-mail once.
    due_for_the_sweep(owed)
    resend_pending.delay()
    assert wait_for(lambda: set(owed.values_list("status", flat=True)) == {"sent"})
    resend_pending.delay()  # a second sweep, and a redelivered task, change nothing
    from mail.tasks import deliver

    deliver.delay(owed[0].pk)
    time.sleep(1.0)
    assert sorted(m.subject.split(":")[0] for m in mail.outbox) == ["Application submitted", "Application withdrawn"]


@pytest.fixture
def flaky_smtp(settings):
    settings.EMAIL_BACKEND = "tests.mail.faults.FlakySMTPBackend"
    FlakySMTPBackend.refused = []
    yield FlakySMTPBackend
    FlakySMTPBackend.failures = 0


@pytest.mark.django_db
def test_smtp_refusing_mail_is_retried_with_backoff_until_each_goes_once(
    flaky_smtp, django_capture_on_commit_callbacks
):
    applications = [complete(ApplicationFactory(call=CallFactory(), owner=UserFactory())) for _ in range(3)]
    flaky_smtp.failures = 7  # the first seven attempts are refused, whichever message they carry
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        for application in applications:
            submit_application(application.pk, by=application.owner)
    owed = OutboxMessage.objects.filter(kind="application_submitted")
    assert owed.count() == 3 and mail.outbox == []
    assert set(owed.values_list("status", flat=True)) == {"pending"}
    assert all("421 try again later" in m.last_error for m in owed.all())

    # Beat sweeps every five minutes; each message is tried again only when its backoff is over.
    sweeps = 0
    with time_machine.travel(start, tick=False) as clock:
        assert resend_pending.delay().get() == 0  # nothing is due yet: the retry waits
        while owed.filter(status="pending").exists():
            sweeps += 1
            assert sweeps < 40, "mail still pending after more than three hours of sweeps"
            clock.shift(dt.timedelta(minutes=5))
            resend_pending.delay().get()
    assert flaky_smtp.failures == 0 and len(flaky_smtp.refused) == 7
    # Every e-mail reached the server exactly once, and says how many attempts it took.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.owner.email for a in applications)
    assert sum(m.attempts for m in owed.all()) == 3 + 7
    assert all(m.status == "sent" and m.last_error == "" for m in owed.all())
    later = timezone.now() + dt.timedelta(days=1)
    assert services.due_message_ids(now=later) == []


@pytest.mark.django_db
def test_a_message_the_server_keeps_refusing_is_kept_as_failed_not_lost(flaky_smtp):
    message = OutboxMessageFactory()
    flaky_smtp.failures = services.MAX_ATTEMPTS
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(services.MAX_ATTEMPTS):
            services.deliver(message.pk)
            clock.shift(dt.timedelta(hours=2))
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, services.MAX_ATTEMPTS)
    assert "421" in message.last_error and mail.outbox == []
    assert services.due_message_ids(now=timezone.now() + dt.timedelta(days=1)) == []  # not retried for ever


class SlowSMTPBackend(FlakySMTPBackend):
    def send_messages(self, messages):
        time.sleep(0.3)  # long enough for every other delivery to be waiting on the row
        return super().send_messages(messages)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_deliveries_racing_for_one_message_send_it_once(settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): SQLite serialises writers instead of locking rows")
    settings.EMAIL_BACKEND = "tests.mail.test_faults.SlowSMTPBackend"
    message = OutboxMessageFactory()
    barrier = threading.Barrier(5)
    results, errors = [], []

    def deliver():  # a task, its redelivery and two sweeps, at the same moment
        try:
            barrier.wait()
            results.append(services.deliver(message.pk))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(results) == [False] * 4 + [True]
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)


def test_the_broker_fault_is_undone_after_the_test():
    from accelerator.celery import app

    before = app.conf.broker_url, app.conf.task_always_eager
    with broker_at(dead_broker_url()):
        assert app.conf.broker_url.startswith("redis://127.0.0.1:") and not app.conf.task_always_eager
    assert (app.conf.broker_url, app.conf.task_always_eager) == before
    assert app.connection_for_write().as_uri().split("://")[0] == before[0].split("://")[0]
