"""Two startups click the same slot at once, on PostgreSQL (SQLite serialises every write anyway)."""

import threading

import pytest
from django.db import connection, connections

from interviews.booking import services
from interviews.models import Booking
from mail.models import OutboxMessage
from tests.interviews.booking_helpers import interviewing_call, invite, slot_in

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (select_for_update) need PostgreSQL; set DATABASE_URL to run",
    ),
]


def run_together(*jobs):
    """Each job in its own thread (its own connection), all released at once."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 - the outcome the test looks at
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_four_startups_click_the_same_slot_one_wins():
    call = interviewing_call()
    invitations = [invite(call) for _ in range(4)]
    slot = slot_in(call)
    results = run_together(*[(lambda i=i: services.book(i.pk, slot.pk, by=i.application.owner)) for i in invitations])
    winners = [r for r in results if isinstance(r, tuple)]
    losers = [r for r in results if isinstance(r, services.SlotTaken)]
    assert len(winners) == 1 and len(losers) == 3, results
    assert "just taken" in str(losers[0])
    booking = Booking.objects.get(slot=slot)
    assert booking.invitation_id == winners[0][0].invitation_id
    # Only the winner's founders (and the slot's panel) were told.
    assert OutboxMessage.objects.filter(kind="interview_booked").count() == 1


def test_two_co_founders_booking_two_slots_at_once_leave_one_booking():
    call = interviewing_call()
    invitation = invite(call)
    first, second = slot_in(call), slot_in(call, hours=8 * 24)
    owner = invitation.application.owner
    results = run_together(
        lambda: services.book(invitation.pk, first.pk, by=owner),
        lambda: services.book(invitation.pk, second.pk, by=owner),
    )
    assert all(isinstance(r, tuple) for r in results), results
    booking = Booking.objects.get(invitation=invitation)
    # Put in line by the invitation's lock: one booked, the other moved it.
    assert booking.sequence == 1
    assert Booking.objects.count() == 1
