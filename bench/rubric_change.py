"""Benchmark: change a criterion's weight on a call with 300,000 scored reviews.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/rubric_change.py

Builds the call with seed_load the first time (slug bench-rubric: 100,000 submitted applications,
3 submitted reviews each, 200 reviewers) and reuses it afterwards. Each round changes the first
criterion's weight and back again through reviews.services.rubric.change_weights, committed, and
prints the wall time, the queries and how many reviews were rescored; then checks a sample of
reviews against a recomputation in Python. A benchmark, not a test: CI does not run it.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accelerator.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")

import django

django.setup()

from django.db import connection  # noqa: E402

from accounts.models import User  # noqa: E402
from calls.models import Call  # noqa: E402
from cohorts.models import RunTrigger, ShortlistRun  # noqa: E402
from cohorts.shortlist.services import run_shortlist  # noqa: E402
from demo.load import seed_load  # noqa: E402
from reviews.models import Review, RubricChange  # noqa: E402
from reviews.services.rubric import change_weights  # noqa: E402
from reviews.services.scoring import weighted_score  # noqa: E402

SLUG = "bench-rubric"


class QueryCounter:
    """Counts the queries and keeps the time of the slow ones (the bulk UPDATEs)."""

    def __init__(self):
        self.count = 0
        self.slow = []

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            if elapsed > 0.1:
                self.slow.append(f"{' '.join(sql.split()[:3])} {elapsed:.2f} s")


def backend_cpu() -> float | None:
    """CPU seconds the PostgreSQL backend of this connection has used (server on this machine):
    unlike wall time, it does not grow when other processes compete for the cores."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def check_sample(call, size=2000):
    weights = dict(call.criteria.values_list("pk", "weight"))
    ids = list(Review.objects.filter(call=call).values_list("pk", flat=True)[:200_000])
    sample = random.Random(1).sample(ids, min(size, len(ids)))
    for review in Review.objects.filter(pk__in=sample).prefetch_related("scores"):
        expected = weighted_score((weights[s.criterion_id], s.value) for s in review.scores.all())
        assert review.weighted_score == expected, (review.pk, review.weighted_score, expected)
    return len(sample)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="changes measured (each changes and restores)")
    args = parser.parse_args()

    call = Call.objects.filter(slug=SLUG).first()
    if call is None:
        started = time.perf_counter()
        seed_load(slug=SLUG, applications=args.applications, reviewers=200, reviews_per_application=3)
        print(f"seed_load {args.applications} applications x 3 reviews: {time.perf_counter() - started:.0f} s")
        call = Call.objects.get(slug=SLUG)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM (ANALYZE)")
    organiser = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-organiser@load.example", "bench-organiser@load.example", "not-used-bench-only"
    )
    reviews = Review.objects.filter(call=call, weighted_score__isnull=False).count()
    print(f"database: {connection.vendor}; scored reviews in the call: {reviews:,}")
    if not ShortlistRun.objects.filter(call=call, locked_at__isnull=True, stale_since__isnull=True).exists():
        run_shortlist(call, trigger=RunTrigger.COMMAND, by=organiser)

    print(f"load average before measuring: {os.getloadavg()[0]:.1f}")
    first = call.criteria.order_by("order", "id").first()
    original = first.weight
    times, cpus = [], []
    for i in range(args.rounds * 2):
        if connection.vendor == "postgresql":
            # Not timed: what autovacuum does in production after a change of 300,000 rows (it is
            # off on some machines); without it each round writes into a table bloated by the last.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE) reviews_review, reviews_reviewsummary, reviews_reviewersummary")
        weight = original + 1 if i % 2 == 0 else original
        counter = QueryCounter()
        cpu_before = backend_cpu()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            change = change_weights(call, by=organiser, weights={first.pk: weight})  # commits on return
            elapsed = time.perf_counter() - started
        cpu_after = backend_cpu()
        times.append(elapsed)
        if cpu_before is not None and cpu_after is not None:
            cpus.append(cpu_after - cpu_before)
        print(
            f"weight {first.name!r} -> {weight}: {elapsed:6.2f} s wall, "
            f"{'?' if not cpus else f'{cpus[-1]:.2f}'} s PostgreSQL CPU, {counter.count} queries, "
            f"{change.reviews_changed:,} reviews rescored ({'; '.join(counter.slow)})"
        )
    stale = ShortlistRun.objects.filter(call=call, stale_since__isnull=False).count()
    cpu = f", median PostgreSQL CPU {statistics.median(cpus):.2f} s" if cpus else ""
    print(f"median {statistics.median(times):.2f} s wall over {len(times)} changes{cpu}; stale runs: {stale}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print(f"history rows for the call: {RubricChange.objects.filter(call=call).count()}")
    print(f"sample checked against Python: {check_sample(call)} reviews, all equal to the last bit")


if __name__ == "__main__":
    main()
