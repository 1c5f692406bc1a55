"""Races between founders' answers, on PostgreSQL (SQLite serialises every write anyway)."""

import threading

import pytest
from django.db import connection, connections

from applications.models import StatusChange
from cohorts.models import Offer
from cohorts.offers import services
from tests.cohorts.conftest import assert_cohort_within_size
from tests.factories.cohorts import locked_shortlist

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (select_for_update) need PostgreSQL; set DATABASE_URL to run",
    ),
]


def run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), []

    def worker(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    return results


def test_accept_and_decline_of_the_same_offer_at_once_one_wins():
    call, apps = locked_shortlist()
    offer = services.send_offers(call)[0]
    owner = apps[0].owner
    outcomes = run_together(
        lambda: services.respond(Offer.objects.get(pk=offer.pk), accept=True, by=owner)[1],
        lambda: services.respond(Offer.objects.get(pk=offer.pk), accept=False, by=owner)[1],
    )
    assert sorted(outcomes) in (["accepted", "unchanged"], ["declined", "unchanged"])
    assert StatusChange.objects.filter(application=apps[0], from_status="offered").count() == 1
    assert_cohort_within_size(call)


def test_five_declines_at_once_promote_five_distinct_startups():
    call, apps = locked_shortlist(shortlisted=5, waitlisted=6)
    offers = services.send_offers(call)
    jobs = [
        (lambda o=o: services.respond(Offer.objects.get(pk=o.pk), accept=False, by=o.application.owner)[1])
        for o in offers
    ]
    assert run_together(*jobs) == ["declined"] * 5
    pending = Offer.objects.filter(call=call, status="pending")
    assert sorted(pending.values_list("application_id", flat=True)) == [a.pk for a in apps[5:10]]
    assert_cohort_within_size(call)


def test_decline_racing_with_a_second_send_never_overfills():
    call, apps = locked_shortlist(shortlisted=5, waitlisted=4)
    offers = services.send_offers(call)
    run_together(
        lambda: services.respond(Offer.objects.get(pk=offers[0].pk), accept=False, by=apps[0].owner),
        lambda: services.send_offers(call),
        lambda: services.withdraw(Offer.objects.get(pk=offers[1].pk), by=None),
        lambda: services.expire_overdue(),
    )
    assert Offer.objects.filter(call=call, status="pending").count() == 5
    assert_cohort_within_size(call)
