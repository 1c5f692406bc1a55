"""Exactly once when sweeps overlap: several threads, each with its own PostgreSQL connection."""

import threading

import pytest
from django.core import mail
from django.db import connection, connections

from cohorts.models import RunTrigger, ShortlistRun
from cohorts.shortlist.services import run_due_shortlists
from mail.models import OutboxMessage
from reminders import services
from reminders.models import Reminder
from reminders.sweep import run_sweep
from tests.cohorts.conftest import review, submitted
from tests.factories.applications import ApplicationFactory
from tests.factories.reviews import ReviewerFactory
from tests.reminders.conftest import CLOSES, hours_before

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent sweeps need PostgreSQL (set DATABASE_URL); SQLite serialises all writers anyway",
    ),
]


def in_parallel(target, n=4):
    """Run target in n threads released at the same moment; re-raise the first error."""
    barrier = threading.Barrier(n)
    errors, results = [], []

    def worker():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    if errors:
        raise errors[0]
    return results


def test_overlapping_sweeps_send_each_reminder_once(call, monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 7)
    drafts = [ApplicationFactory(call=call) for _ in range(30)]
    results = in_parallel(lambda: run_sweep(hours_before(CLOSES, 48)).founder_reminders)
    assert sum(len(sent) for sent in results) == 30
    assert Reminder.objects.count() == 30
    assert OutboxMessage.objects.count() == 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(d.owner.email for d in drafts)
    # And again, sequentially: nothing more.
    assert run_sweep(hours_before(CLOSES, 47)).founder_reminders == []
    assert len(mail.outbox) == 30


def test_two_beats_run_the_shortlist_once(call):
    reviewers = [ReviewerFactory() for _ in range(2)]
    for i in range(6):
        app = submitted(call, f"S{i}", minutes=i)
        for reviewer in reviewers:
            review(app, reviewer, 1.0 + i % 4)
    call.review_deadline = hours_before(CLOSES, -24 * 21)
    call.save()
    results = in_parallel(lambda: run_due_shortlists(call.review_deadline), n=3)
    assert sum(len(runs) for runs in results) == 1
    assert ShortlistRun.objects.filter(call=call, trigger=RunTrigger.BEAT).count() == 1
