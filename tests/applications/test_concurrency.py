"""Races that only a real database with row locks can show."""

import threading

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from applications.models import Application, StatusChange
from applications.services.drafts import save_application
from applications.services.submission import submit_application
from mail.models import OutboxMessage
from tests.applications.helpers import complete, minimal_pdf
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): SQLite serialises writers instead of locking rows")


def run_together(n, target):
    barrier = threading.Barrier(n)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def test_simultaneous_submits_submit_once_and_mail_once():
    application = complete(ApplicationFactory(call=CallFactory(), owner=UserFactory()))
    results = run_together(6, lambda: submit_application(application.pk, by=application.owner)[1])
    assert sorted(results) == [False] * 5 + [True]
    assert Application.objects.get(pk=application.pk).status == "submitted"
    assert StatusChange.objects.filter(application=application).count() == 1
    assert OutboxMessage.objects.filter(kind="application_submitted").count() == 1


def test_fifty_founders_submitting_at_once_lose_nothing():
    """The busiest minute before a deadline: 50 founders, each on their own connection, submit
    in the same instant. Every one is submitted, recorded once, and confirmed by one e-mail."""
    call = CallFactory()
    applications = [complete(ApplicationFactory(call=call, owner=UserFactory())) for _ in range(50)]
    mail.outbox.clear()
    queue = list(applications)
    lock = threading.Lock()

    def submit_next():
        with lock:
            application = queue.pop()
        return submit_application(application.pk, by=application.owner)[1]

    results = run_together(50, submit_next)

    assert results == [True] * 50
    assert Application.objects.filter(call=call, status="submitted", submitted_at__isnull=False).count() == 50
    changes = StatusChange.objects.filter(application__call=call, to_status="submitted")
    assert sorted(changes.values_list("application_id", flat=True)) == sorted(a.pk for a in applications)
    confirmations = OutboxMessage.objects.filter(kind="application_submitted")
    assert sorted(confirmations.values_list("to", flat=True)) == sorted(a.owner.email for a in applications)
    assert confirmations.values("dedupe_key").distinct().count() == 50
    # Delivered after each commit (Celery runs in-process here): exactly one e-mail per founder.
    assert confirmations.filter(status="sent").count() == 50
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.owner.email for a in applications)


def _hold_a_save_open(application, holding, release):
    """A founder's save that has run but not committed yet: its transaction holds what it locked."""

    def worker():
        try:
            with transaction.atomic():
                save_application(
                    application.pk, by=application.owner, expected_version=application.version, values={"city": "A"}
                )
                holding.set()
                release.wait(20)
        finally:
            holding.set()
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    return thread


@pytest.mark.parametrize("action", ["autosave", "deck", "submit"])
@pytest.mark.usefixtures("deck_storage")
def test_a_founders_open_save_does_not_block_another_founders_write_to_the_same_call(action):
    """Saves lock the application's own row only (FOR UPDATE OF), never the call's row: the night
    before a deadline every founder of a call writes at once, and none may wait on another."""
    call = CallFactory()
    first = ApplicationFactory(call=call, owner=UserFactory())
    second = complete(ApplicationFactory(call=call, owner=UserFactory()))
    holding, release = threading.Event(), threading.Event()
    thread = _hold_a_save_open(first, holding, release)
    try:
        assert holding.wait(20)
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Waiting on a lock at all fails the test, at once rather than after a long hang.
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            if action == "submit":
                submit_application(second.pk, by=second.owner)
            else:
                deck = SimpleUploadedFile("d.pdf", minimal_pdf()) if action == "deck" else None
                save_application(
                    second.pk, by=second.owner, expected_version=second.version, values={"city": "B"}, deck=deck
                )
    finally:
        release.set()
        thread.join()
    second.refresh_from_db()
    assert second.city == "B" or second.status == "submitted"
    assert Application.objects.get(pk=first.pk).city == "A"
