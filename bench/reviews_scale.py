"""Review pages and commands at scale, on a call built by seed_load.

    DATABASE_URL=postgres://... python bench/reviews_scale.py --call load-100k [--seed-applications 100000]

Prints one line per measurement: wall time, queries, and for the export the peak memory growth.
A benchmark, not a test: CI does not run it.
"""

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accelerator.settings")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import ORGANISERS  # noqa: E402
from calls.models import Call  # noqa: E402
from demo.load import seed_load  # noqa: E402
from reviews import exports, services  # noqa: E402


def measure(label, function, repeat=1):
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
    print(f"{label:<58} median {statistics.median(times):7.3f}s  p95 {p95:7.3f}s  {queries:>4} queries")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--call", required=True)
    parser.add_argument("--seed-applications", type=int, default=0, help="run seed_load first with this many")
    args = parser.parse_args()
    if args.seed_applications:
        result = seed_load(
            slug=args.call, applications=args.seed_applications, reviewers=200, reviews_per_application=3
        )
        print(f"seed_load {args.seed_applications} applications: {result.seconds:.1f}s")
    call = Call.objects.get(slug=args.call)
    print(f"database: {connection.vendor}; applications in call: {call.applications.count()}")

    measure("assign_reviewers (rerun: reads everything, adds nothing)", lambda: services.assign_reviewers(call))

    def export(fmt):
        tracemalloc.start()
        size = sum(len(chunk) for chunk in exports.export(call, fmt))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"  export {fmt}: {size / 1e6:.1f} MB written, peak Python memory {peak / 2**20:.1f} MiB")

    measure("export_reviews csv", lambda: export("csv"))
    measure("export_reviews json", lambda: export("json"))

    organiser, _ = User.objects.get_or_create(
        username="bench-organiser@load.example", defaults={"email": "bench-organiser@load.example", "is_staff": True}
    )
    organiser.groups.add(Group.objects.get(name=ORGANISERS))
    client = Client()
    client.force_login(organiser)
    reviewer = call.applications.first().assignments.first().reviewer
    reviewer_client = Client()
    reviewer_client.force_login(reviewer)
    pages = [
        ("application progress", client, "admin:reviews_applicationprogress_changelist", {"call": call.pk}),
        ("application progress sorted by mean score", client, "admin:reviews_applicationprogress_changelist",
         {"call": call.pk, "o": "-5"}),
        ("application progress, disagreement only", client, "admin:reviews_applicationprogress_changelist",
         {"call": call.pk, "disagreement": "yes"}),
        ("reviewer progress in the call", client, "admin:reviews_reviewerprogress_changelist", {"call": call.pk}),
        ("reviews list", client, "admin:reviews_review_changelist", {"call": call.pk}),
        ("reviews sorted by weighted score", client, "admin:reviews_review_changelist", {"call": call.pk, "o": "-5"}),
        ("assignments list", client, "admin:reviews_assignment_changelist", {"call": call.pk}),
        ("my reviews (a reviewer)", reviewer_client, "admin:reviews_myreview_changelist", {}),
    ]  # fmt: skip
    for label, who, name, params in pages:
        url = reverse(name)
        assert who.get(url, params).status_code == 200
        measure(f"GET {label}", lambda who=who, url=url, params=params: who.get(url, params), repeat=10)


if __name__ == "__main__":
    main()
