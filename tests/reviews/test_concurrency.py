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


def test_two_refreshes_at_once_count_each_other_s_reviews(call, reviewer_a, reviewer_b):
    """save_review locks only its assignment (and shares its call's row); writers of the same
    application's reviews do not wait on each other there, so the summaries lock their own rows
    before they count."""
    from django.db import transaction
    from django.utils import timezone

    from reviews.models import ReviewerSummary, ReviewSummary
    from reviews.services.summaries import refresh_summaries

    app = submitted_app(call)
    reviews = [
        Review.objects.create(assignment=AssignmentFactory(reviewer=r, application=app))
        for r in (reviewer_a, reviewer_b)
    ]
    refresh_summaries([app.pk])  # the summary rows exist, as once reviewers are assigned
    todo = iter(reviews)
    lock = threading.Lock()

    def submit_and_refresh():
        with lock:
            review = next(todo)
        with transaction.atomic():
            Review.objects.filter(pk=review.pk).update(
                status="submitted", weighted_score=3.0, submitted_at=timezone.now()
            )
            refresh_summaries([app.pk])
            time.sleep(0.3)  # not committed yet: a refresh that read now would count only its own review

    assert run_in_threads(submit_and_refresh) == []
    summary = ReviewSummary.objects.get(application=app)
    assert (summary.assigned_count, summary.submitted_count) == (2, 2)
    assert sorted(ReviewerSummary.objects.filter(call=call).values_list("submitted_count", flat=True)) == [1, 1]


def _hold_a_review_save_open(assignment, holding, release):
    """A reviewer's save that has run but not committed yet: its transaction holds what it locked."""

    def worker():
        from django.db import transaction

        try:
            with transaction.atomic():
                services.save_review(
                    assignment, by=assignment.reviewer, scores=full_scores(assignment.application.call)
                )
                holding.set()
                release.wait(20)
        finally:
            holding.set()
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    return thread


def _without_waiting(write):
    from django.db import transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            # Waiting on a lock at all fails at once rather than after a long hang.
            cursor.execute("SET LOCAL lock_timeout = '2s'")
        return write()


def test_a_reviewers_open_save_does_not_block_another_reviewers_save_in_the_same_call(call, reviewer_a, reviewer_b):
    first = AssignmentFactory(reviewer=reviewer_a, application=submitted_app(call))
    second = AssignmentFactory(reviewer=reviewer_b, application=submitted_app(call))
    holding, release = threading.Event(), threading.Event()
    thread = _hold_a_review_save_open(first, holding, release)
    try:
        assert holding.wait(20)
        _without_waiting(lambda: services.save_review(second, by=reviewer_b, scores=full_scores(call, 2)))
    finally:
        release.set()
        thread.join()
    assert Review.objects.filter(assignment__in=[first, second]).count() == 2


def test_a_rubric_change_waits_for_a_review_being_scored(call, reviewer_a, organiser):
    """The review is scored with the weights it read: the weights cannot change under it."""
    from django.db import OperationalError

    from reviews.services.rubric import change_weights

    assignment = AssignmentFactory(reviewer=reviewer_a, application=submitted_app(call))
    holding, release = threading.Event(), threading.Event()
    thread = _hold_a_review_save_open(assignment, holding, release)
    try:
        assert holding.wait(20)
        weights = {c.pk: 1 for c in call.criteria.all()}
        with pytest.raises(OperationalError, match="lock timeout"):
            _without_waiting(lambda: change_weights(call, by=organiser, weights=weights))
    finally:
        release.set()
        thread.join()
