"""The shortlist scores computed in PostgreSQL are those of the Python reference, to the last bit."""

import math
import random
from collections import defaultdict

import pytest
from django.db import connection

from applications.models import Status
from cohorts import selectors
from cohorts.models import DecisionKind, RunTrigger, ShortlistRanking
from cohorts.shortlist import ranking, scores, storage
from cohorts.shortlist import services as shortlist
from cohorts.shortlist.services import run_shortlist, set_override
from reviews.models import AssignmentState, Conflict, ConflictSource, ReviewStatus
from tests.cohorts.conftest import review, submitted
from tests.factories.applications import ApplicationFactory
from tests.factories.reviews import ReviewerFactory

pytestmark = pytest.mark.django_db

# Awkward values: sums of three of them depend on the order of the additions (0.1 + 0.2 + 0.3).
VALUES = [0.1, 0.2, 0.3, 1 / 3, 2 / 7, 3.3, 3.27, 4.1, 2.55, 1e-9, 4.999999999, 5.0, 1.0000000005]


def bits(field: ranking.Field) -> tuple:
    """The field with every score as its exact binary value (0.0 and -0.0 differ)."""
    return (
        field.ids,
        field.submission,
        field.counts,
        {m: [None if x is None else x.hex() for x in field.scores[m]] for m in ranking.METHODS},
    )


def plain_method_scores(rows):
    """The methods written the plain way, over the list of every review of each reviewer, as a
    reference for method_scores (which works on how often each score occurs, as PostgreSQL does)."""
    by_reviewer = defaultdict(list)
    for _app, reviewer, x in rows:
        by_reviewer[reviewer].append(x)
    everything = [x for _app, _reviewer, x in rows]

    def mean_pstdev(values):
        mean = math.fsum(values) / len(values)
        if min(values) == max(values):
            return values[0], 0.0
        return mean, math.sqrt(math.fsum((x - mean) ** 2 for x in values) / len(values))

    call_mean, call_std = mean_pstdev(everything)
    sums = {}
    for app, reviewer, x in rows:
        own = by_reviewer[reviewer]
        n = len(own)
        mean, std = mean_pstdev(own)
        if n >= 2 and std > 0:
            z = (x - mean) / std
        elif call_std > 0:
            z = (x - call_mean) / call_std
        else:
            z = 0.0
        lower, equal = sum(y < x for y in own), sum(y == x for y in own)
        p = 0.5 if n == 1 else (lower + 0.5 * (equal - 1)) / (n - 1)
        if app in sums:
            total = sums[app]
            total[0] += 1
            total[1] += x
            total[2] += z
            total[3] += p
        else:
            sums[app] = [1, x, z, p]
    return {
        app: (n, {ranking.MEAN: x / n, ranking.ZSCORE: z / n, ranking.PERCENTILE: p / n})
        for app, (n, x, z, p) in sums.items()
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_method_scores_are_those_of_every_review_written_out(seed):
    rng = random.Random(seed)
    rows = [(rng.randrange(40), rng.randrange(7), rng.choice(VALUES)) for _ in range(300)]
    rows += [(50, 99, 2.5)]  # a reviewer with a single review
    rows += [(51, 98, 3.3), (52, 98, 3.3), (53, 98, 3.3)]  # a reviewer without spread
    expected = plain_method_scores(rows)
    got = ranking.method_scores(rows)
    assert {a: (n, {m: s[m].hex() for m in s}) for a, (n, s) in got.items()} == {
        a: (n, {m: s[m].hex() for m in s}) for a, (n, s) in expected.items()
    }


def test_reviewer_tables_without_any_spread():
    zs, ps = ranking.reviewer_tables([1, 2, 3], [3.4, 3.4, 3.4], [2, 1, 1])
    assert zs == [0.0, 0.0, 0.0]
    assert ps == [0.5, 0.5, 0.5]


@pytest.fixture
def tricky(call, reviewers):
    """Ties, single-review reviewers, a reviewer without spread, order-dependent sums, too few
    reviews, no reviews, pins, exclusions, and reviews that must not count."""
    rng = random.Random(7)
    pool = [*reviewers, *(ReviewerFactory() for _ in range(5))]
    apps = [submitted(call, f"Startup {i:02}", minutes=rng.randrange(30)) for i in range(36)]
    for app in apps[:30]:
        for reviewer in rng.sample(pool, rng.choice([1, 2, 3, 3, 3, 4])):
            review(app, reviewer, rng.choice(VALUES))
    # Same three values in different review orders: sums differ in the last bit.
    for app, order in zip(apps[30:33], ([0.1, 0.2, 0.3], [0.3, 0.2, 0.1], [0.2, 0.3, 0.1]), strict=True):
        for reviewer, x in zip(reviewers, order, strict=True):
            review(app, reviewer, x)
    lone, flat = ReviewerFactory(), ReviewerFactory()
    review(apps[33], lone, 4.2)  # the only review of its reviewer
    for app in apps[33:36]:
        review(app, flat, 3.3)  # a reviewer who gives everyone the same score
    # Reviews that do not count.
    review(apps[0], ReviewerFactory(), 1.0, status=ReviewStatus.DRAFT, submitted_at=None)
    conflicted = review(apps[1], ReviewerFactory(), 1.0)
    conflicted.assignment.state = AssignmentState.CONFLICTED
    conflicted.assignment.save()
    declared = review(apps[2], ReviewerFactory(), 5.0)
    Conflict.objects.create(
        reviewer=declared.assignment.reviewer, application=apps[2], source=ConflictSource.REVIEWER, reason="friend"
    )
    withdrawn = ApplicationFactory(call=call, status=Status.WITHDRAWN, submitted_at=call.closes_at)
    review(withdrawn, reviewers[0], 5.0)
    submitted(call, "No reviews", minutes=3)
    set_override(apps[5], kind=DecisionKind.PIN, reason="Strategic")
    set_override(apps[33], kind=DecisionKind.PIN, reason="One review, pinned")
    set_override(apps[30], kind=DecisionKind.EXCLUDE, reason="Not eligible")
    return apps


def test_python_field_counts_every_submitted_application(call, tricky):
    field = scores.python_field(call)
    assert len(field.ids) == 37 and field.ids == sorted(field.ids)
    assert sorted(field.submission) == list(range(37))
    assert field.counts.count(0) == 1
    assert sum(field.counts) == selectors.counted_reviews(call).count()


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")


@pytest.mark.postgres
@postgres_only
def test_postgres_scores_are_the_python_scores_to_the_last_bit(call, tricky):
    python = scores.python_field(call)
    mean = python.scores[ranking.MEAN]
    assert mean[30] != mean[31]  # the same three scores added in another order
    assert bits(scores.postgres_field(call)) == bits(python)


@pytest.mark.postgres
@postgres_only
def test_a_run_on_postgres_is_the_run_on_the_python_path(call, tricky, monkeypatch):
    def snapshot(run):
        # The packed ranking byte for byte (every application, every float to the last bit), and the rows.
        rows = run.entries.order_by("application_id").values_list(*storage.ENTRY_COLUMNS)
        return bytes(ShortlistRanking.objects.get(run=run).data), list(rows)

    for method in ranking.METHODS:
        on_postgres = run_shortlist(call, trigger=RunTrigger.COMMAND, method=method)
        with monkeypatch.context() as patch:
            patch.setattr(shortlist.scores, "load_field", scores.python_field)
            in_python = run_shortlist(call, trigger=RunTrigger.COMMAND, method=method)
        assert snapshot(on_postgres) == snapshot(in_python)
        assert on_postgres.parameters["input_digest"] == in_python.parameters["input_digest"]


@pytest.mark.postgres
@postgres_only
def test_calls_without_reviews_or_applications(call):
    assert (
        bits(scores.postgres_field(call))
        == bits(scores.python_field(call))
        == ([], [], [], {m: [] for m in ranking.METHODS})
    )
    first, second = submitted(call, "First", minutes=5), submitted(call, "Second", minutes=1)
    field = scores.postgres_field(call)
    assert bits(field) == bits(scores.python_field(call))
    assert (field.ids, field.submission, field.counts) == ([first.pk, second.pk], [1, 0], [0, 0])


@pytest.mark.postgres
@postgres_only
@pytest.mark.parametrize(
    ("values", "typecode", "cast"),
    [
        ([], "q", "bigint[]"),
        ([1, -1, 0, 2**63 - 1, -(2**63), 123456789012], "q", "bigint[]"),
        ([*VALUES, 0.0, -0.0, 5e-324, -1.7976931348623157e308, float("inf")], "d", "float8[]"),
    ],
)
def test_arrays_reach_postgres_bit_for_bit(values, typecode, cast):
    with connection.cursor() as cursor, scores.binary_cursor(cursor) as binary:
        binary.execute(f"SELECT %s::{cast}", [scores._Array(values, typecode)], binary=True)
        back = binary.fetchone()[0]
    as_bits = (lambda xs: [x.hex() for x in xs]) if typecode == "d" else list
    assert as_bits(back) == as_bits(values)
