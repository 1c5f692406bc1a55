"""Who waits on whom: one person's open transaction must not hold rows that others write.

PostgreSQL only (SQLite serialises every writer). A lock wait fails the test at once through a
short `lock_timeout` rather than hanging.
"""

import threading

import pytest
from django.db import OperationalError, connection, transaction

from calls.models import Call
from cohorts.exports import services as exports
from cohorts.models import ExportJob, Offer
from cohorts.offers import services as offers
from tests.factories.cohorts import locked_shortlist

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"),
]


def hold_open(write):
    """Run `write` in a transaction left open (its locks held) until the returned release() is called."""
    holding, release = threading.Event(), threading.Event()
    errors = []

    def worker():
        try:
            with transaction.atomic():
                write()
                holding.set()
                release.wait(20)
        except Exception as exc:  # noqa: BLE001 - reported by release()
            errors.append(exc)
        finally:
            holding.set()
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    assert holding.wait(20)

    def done():
        release.set()
        thread.join()
        assert errors == []

    return done


def without_waiting(write):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
        return write()


def test_a_founders_open_accept_does_not_block_another_founders_accept():
    """Accepting in time hands out no seat: it locks its own offer, not the call's row."""
    call, _apps = locked_shortlist(shortlisted=2, waitlisted=0, ranked=0)
    first, second = offers.send_offers(call)
    release = hold_open(lambda: offers.respond(Offer.objects.get(pk=first.pk), accept=True, by=first.application.owner))
    try:
        _offer, outcome = without_waiting(
            lambda: offers.respond(Offer.objects.get(pk=second.pk), accept=True, by=second.application.owner)
        )
    finally:
        release()
    assert outcome == "accepted"
    assert sorted(Offer.objects.filter(call=call).values_list("status", flat=True)) == ["accepted", "accepted"]


def test_a_decline_still_waits_for_a_withdrawal_of_the_same_call():
    """A decline frees a seat that is offered on at once: seats are handed out one at a time."""
    call, _apps = locked_shortlist(shortlisted=2, waitlisted=2, ranked=0)
    first, second, *_others = offers.send_offers(call)
    release = hold_open(lambda: offers.withdraw(Offer.objects.get(pk=first.pk), by=None))
    try:
        with pytest.raises(OperationalError, match="lock timeout"):
            without_waiting(
                lambda: offers.respond(Offer.objects.get(pk=second.pk), accept=False, by=second.application.owner)
            )
    finally:
        release()


@pytest.mark.usefixtures("deck_storage")  # the built file goes to the private storage
def test_an_export_being_built_does_not_lock_its_call(monkeypatch):
    call, _apps = locked_shortlist(shortlisted=2, waitlisted=0, ranked=0)
    job = ExportJob.objects.create(call=call, scope="submitted", language="en")
    counted = threading.Event()
    resume = threading.Event()
    count = exports.rows.count

    def slow_count(*args, **kwargs):
        counted.set()
        resume.wait(20)
        return count(*args, **kwargs)

    monkeypatch.setattr(exports.rows, "count", slow_count)
    thread = threading.Thread(target=lambda: (exports.build_job(job.pk), connection.close()))
    thread.start()
    try:
        assert counted.wait(20)  # the job's row is locked now, in build_job's transaction
        without_waiting(lambda: Call.objects.filter(pk=call.pk).update(title="Renamed while exporting"))
    finally:
        resume.set()
        thread.join()
    assert Call.objects.get(pk=call.pk).title == "Renamed while exporting"
