"""Benchmark: memory of streamed cohort exports (CSV and JSON) as the call grows.

Not a test: it prints numbers. Python-allocated memory is traced (tracemalloc) while the stream is
consumed chunk by chunk, as a WSGI server would; "flat" means the peak does not grow with rows.

    .venv/bin/python bench/export_memory.py                 # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/acc_bench .venv/bin/python bench/export_memory.py
    .venv/bin/python bench/export_memory.py --sizes 1000 10000 50000
"""

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="export-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accelerator.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from applications.models import Application, Status, TeamMember  # noqa: E402
from calls.models import Call  # noqa: E402
from cohorts.exports import services  # noqa: E402

TEXT = "Fine-tuning Llama on legal French — données hébergées dans l'UE. " * 3


def make_call(slug):
    now = timezone.now()
    return Call.objects.create(
        title=f"Bench {slug}",
        slug=slug,
        summary="bench",
        description="bench",
        location="STATION F",
        opens_at=now - dt.timedelta(days=30),
        closes_at=now - dt.timedelta(days=1),
        review_deadline=now,
        programme_starts_on=now.date(),
        programme_ends_on=now.date(),
    )


def fill(call, rows, batch=2000):
    start = User.objects.count()
    for offset in range(0, rows, batch):
        n = min(batch, rows - offset)
        users = User.objects.bulk_create(
            User(username=f"u{start + offset + i}@bench.example", email=f"u{start + offset + i}@bench.example")
            for i in range(n)
        )
        apps = Application.objects.bulk_create(
            Application(
                call=call,
                owner=u,
                status=Status.SUBMITTED,
                submitted_at=timezone.now(),
                startup_name=f"Startup {offset + i} Écoute",
                website=f"https://s{offset + i}.example.com",
                country="FR",
                city="Saint-Étienne",
                foundation_models=["llama", "mistral"],
                gpu_hours_per_month=500 + i,
                data_must_stay_in_eu=True,
                problem=TEXT,
                solution=TEXT,
            )
            for i, u in enumerate(users)
        )
        TeamMember.objects.bulk_create(
            TeamMember(application=a, name=f"Founder {j} of {a.pk}", email=f"f{j}.{a.pk}@bench.example", role="CEO")
            for a in apps
            for j in range(2)
        )


def measure(call, fmt, trace=True):
    from django.conf import settings

    settings.DEBUG = True  # count queries
    reset_queries()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    response = services.stream(call, "submitted", fmt)
    first_byte, total = None, 0
    for chunk in response.streaming_content:
        if first_byte is None:
            first_byte = time.perf_counter() - started
        total += len(chunk)
    elapsed = time.perf_counter() - started
    peak = 0
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    queries = len(connection.queries)
    settings.DEBUG = False
    return {
        "peak_kib": peak / 1024,
        "first_ms": first_byte * 1000,
        "seconds": elapsed,
        "mib": total / 2**20,
        "q": queries,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--no-trace", action="store_true", help="time only (tracemalloc slows Python down)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    columns = ("rows", "format", "peak KiB", "first byte ms", "seconds", "output MiB", "queries")
    print("{:>7} {:>6} {:>9} {:>14} {:>8} {:>10} {:>8}".format(*columns))
    for size in args.sizes:
        call = make_call(f"bench-{size}-{int(time.time())}")
        fill(call, size)
        for fmt in ("csv", "json"):
            m = measure(call, fmt, trace=not args.no_trace)
            print(
                f"{size:>7} {fmt:>6} {m['peak_kib']:>9.0f} {m['first_ms']:>14.1f} {m['seconds']:>8.2f} "
                f"{m['mib']:>10.2f} {m['q']:>8}"
            )


if __name__ == "__main__":
    main()
