"""Benchmark: the shortlist of 100,000 submitted applications x 3 reviews, and a reminder sweep
over 100,000 drafts, on the database DATABASE_URL points at (PostgreSQL for meaningful numbers).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/shortlist_scale.py

Creates its own calls (slugs bench-shortlist, bench-reminders) the first time and reuses them
afterwards; --fresh deletes and recreates them. E-mails are written to the outbox but not
handed to a broker (the sweep's own cost is what is measured).
"""

import argparse
import datetime as dt
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accelerator.settings")
# Production settings (DEBUG off: no query log, no template debugging).
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

import mail.services  # noqa: E402
from accounts.models import User  # noqa: E402
from applications.models import Application, Status, StatusChange  # noqa: E402
from calls.models import Call  # noqa: E402
from cohorts.models import RunTrigger, ShortlistRun  # noqa: E402
from cohorts.shortlist.services import lock_run, run_shortlist  # noqa: E402
from mail.models import OutboxMessage  # noqa: E402
from reminders import services as reminders  # noqa: E402
from reminders.models import Reminder  # noqa: E402
from reviews.models import Assignment, Review, ReviewStatus  # noqa: E402

CHUNK = 5_000


class QueryCounter:
    """Counts queries without DEBUG's query log (which stops at 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def timed(label):
    class Timer:
        def __enter__(self):
            self.start, self.cpu = time.perf_counter(), time.process_time()
            return self

        def __exit__(self, *exc):
            self.seconds = time.perf_counter() - self.start
            cpu = time.process_time() - self.cpu
            print(f"{label}: {self.seconds:.2f} s (this process's CPU: {cpu:.2f} s)", flush=True)

    return Timer()


def make_call(slug, now, *, closed):
    if closed:
        dates = {"opens_at": now - dt.timedelta(days=60), "closes_at": now - dt.timedelta(days=30)}
        dates["review_deadline"] = now - dt.timedelta(days=1)
    else:
        dates = {"opens_at": now - dt.timedelta(days=20), "closes_at": now + dt.timedelta(hours=40)}
        dates["review_deadline"] = now + dt.timedelta(days=20)
    return Call.objects.create(
        slug=slug,
        title=slug.replace("-", " ").title(),
        summary="Benchmark",
        description="Benchmark",
        location="Paris",
        programme_starts_on=(now + dt.timedelta(days=60)).date(),
        programme_ends_on=(now + dt.timedelta(days=240)).date(),
        **dates,
    )


def make_users(prefix, n):
    existing = User.objects.filter(username__startswith=f"{prefix}-").count()
    for start in range(existing, n, CHUNK):
        User.objects.bulk_create(
            User(username=f"{prefix}-{i}", email=f"{prefix}-{i}@bench.example", password="!", language="en")
            for i in range(start, min(start + CHUNK, n))
        )
    return list(User.objects.filter(username__startswith=f"{prefix}-").order_by("pk").values_list("pk", flat=True))


def seed_shortlist(n_apps, n_reviewers, now):
    rng = random.Random(42)
    call = make_call("bench-shortlist", now, closed=True)
    owners = make_users("bench-founder", n_apps)
    reviewers = make_users("bench-reviewer", n_reviewers)
    bias = {r: rng.uniform(-0.8, 0.8) for r in reviewers}
    submitted_at = call.closes_at - dt.timedelta(days=1)
    for start in range(0, n_apps, CHUNK):
        with transaction.atomic():
            apps = Application.objects.bulk_create(
                Application(
                    call=call,
                    owner_id=owners[i],
                    status=Status.SUBMITTED,
                    submitted_at=submitted_at + dt.timedelta(seconds=i),
                    startup_name=f"Startup {i}",
                )
                for i in range(start, min(start + CHUNK, n_apps))
            )
            assignments = Assignment.objects.bulk_create(
                Assignment(application=app, reviewer_id=reviewer)
                for app in apps
                for reviewer in rng.sample(reviewers, 3)
            )
            Review.objects.bulk_create(
                Review(
                    assignment=a,
                    call=call,
                    status=ReviewStatus.SUBMITTED,
                    submitted_at=submitted_at,
                    weighted_score=round(min(5.0, max(1.0, rng.gauss(3, 0.8) + bias[a.reviewer_id])), 2),
                )
                for a in assignments
            )
        print(f"  seeded {min(start + CHUNK, n_apps)} applications", flush=True)
    return call


def seed_drafts(n_drafts, now):
    call = make_call("bench-reminders", now, closed=False)
    owners = make_users("bench-founder", n_drafts)
    for start in range(0, n_drafts, CHUNK):
        Application.objects.bulk_create(
            Application(call=call, owner_id=owners[i], startup_name=f"Draft {i}")
            for i in range(start, min(start + CHUNK, n_drafts))
        )
    return call


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--reviewers", type=int, default=300)
    parser.add_argument("--fresh", action="store_true", help="delete the benchmark calls first")
    parser.add_argument("--skip-shortlist", action="store_true")
    parser.add_argument("--skip-lock", action="store_true")
    parser.add_argument("--skip-reminders", action="store_true")
    args = parser.parse_args()
    mail.services.enqueue_delivery = lambda message_id: None  # measure the sweep, not a broker
    now = timezone.now()
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")

    if args.fresh:
        for slug in ("bench-shortlist", "bench-reminders"):
            for call in Call.objects.filter(slug=slug):
                ShortlistRun.objects.filter(call=call).delete()
                Review.objects.filter(assignment__application__call=call).delete()
                Assignment.objects.filter(application__call=call).delete()
                call.reminders.all().delete()
                call.applications.all().delete()
                call.delete()

    # Raw deletes: Django's delete() would load 100,000s of rows to cascade in Python.
    Reminder.objects.filter(call__slug__startswith="bench-").delete()  # nothing cascades: one DELETE
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM {OutboxMessage._meta.db_table} WHERE "to" LIKE %s', ["%@bench.example"])
    call = Call.objects.filter(slug="bench-shortlist").first()
    if call is None:
        with timed(f"seed {args.applications} applications x 3 reviews"):
            call = seed_shortlist(args.applications, args.reviewers, now)
    ShortlistRun.objects.filter(call=call).delete()
    if args.skip_shortlist:
        args.skip_lock = True
    else:
        run_shortlist_bench(call)
    if not args.skip_lock:
        lock_bench(call)
    if not args.skip_reminders:
        reminders_bench(args, now)
    print(f"Peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def run_shortlist_bench(call):
    print(f"Shortlist call: {call.applications.count()} applications")
    with timed("shortlist run (compute three methods + store snapshot)"):
        run = run_shortlist(call, trigger=RunTrigger.COMMAND)
    with timed("shortlist run again (same data)"):
        again = run_shortlist(call, trigger=RunTrigger.COMMAND)
    same = bytes(run.ranking.data) == bytes(again.ranking.data)
    print(f"  identical ranking on re-run: {same}")


def lock_bench(call):
    again = ShortlistRun.objects.filter(call=call).first() or run_shortlist(call, trigger=RunTrigger.COMMAND)
    with timed("lock (status change + history for every application)"):
        lock_run(again, by=None)
    # Put the call back so the benchmark can run again.
    ShortlistRun.objects.filter(call=call).delete()
    call.applications.update(status=Status.SUBMITTED)
    StatusChange.objects.filter(application__call=call).delete()


def reminders_bench(args, now):
    drafts_call = Call.objects.filter(slug="bench-reminders").first()
    if drafts_call is None:
        with timed(f"seed {args.applications} drafts"):
            drafts_call = seed_drafts(args.applications, now)
    # The deadline 40 h from now, whenever the benchmark runs: the 48 h reminder is due.
    Call.objects.filter(pk=drafts_call.pk).update(
        closes_at=now + dt.timedelta(hours=40), review_deadline=now + dt.timedelta(days=20)
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with QueryCounter() as queries, timed("reminder sweep: first 48 h reminder to every draft"):
        sent = reminders.send_founder_reminders(now)
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory before the sweep {before:.0f} MB, after {after:.0f} MB")
    batches = -(-len(sent) // reminders.BATCH_SIZE)
    print(f"  {len(sent)} reminders, {queries.count} queries, {batches} batches of {reminders.BATCH_SIZE}")
    with QueryCounter() as queries, timed("reminder sweep again: nothing due"):
        sent = reminders.send_founder_reminders(now)
    print(f"  {len(sent)} reminders, {queries.count} queries")


if __name__ == "__main__":
    main()
