"""Races that only a real database shows: two assignment runs at once, a double-clicked submit."""

import threading
import time
from collections import Counter

import pytest
from django.db import connection

from reviews import services
from reviews.models import Assignment, AssignmentState, Review, ReviewChange
from reviews.services import assignment as assignment_service
from tests.factories.reviews import AssignmentFactory
from tests.reviews.conftest import full_scores, make_reviewer, submitted_app

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"),
]


def run_in_threads(target, count=2):
    barrier = threading.Barrier(count)
    errors = []

    def worker():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            target()
        except Exception as error:  # noqa: BLE001 (reported to the test)
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_two_assignment_runs_at_once_give_k_each(call, monkeypatch):
    for _ in range(6):
        make_reviewer()
    apps = [submitted_app(call) for _ in range(20)]
    plan = assignment_service._plan

    def slow_plan(*args, **kwargs):
        time.sleep(0.3)  # both runs would have read the same state by now, were they not serialised
        return plan(*args, **kwargs)

    monkeypatch.setattr(assignment_service, "_plan", slow_plan)

    errors = run_in_threads(lambda: services.assign_reviewers(call))

    assert errors == []
    counts = Counter(Assignment.objects.filter(state=AssignmentState.ACTIVE).values_list("application_id", flat=True))
    assert all(counts[a.pk] == 3 for a in apps)


def test_double_submit_records_one_submission(call, reviewer_a):
    assignment = AssignmentFactory(reviewer=reviewer_a, application=submitted_app(call))

    errors = run_in_threads(
        lambda: services.save_review(
            assignment,
            by=reviewer_a,
            scores=full_scores(call),
            recommendation="yes",
            confidence=2,
            submit=True,
        ),
        count=3,
    )

    assert errors == []
    assert Review.objects.count() == 1
    assert ReviewChange.objects.count() == 1
