"""In-process measurements on the large call: shortlist, admin lists, exports, reminder sweep."""

import datetime as dt
import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from django.core.management import call_command
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def ensure_call(slug: str, applications: int, reviews_per_application: int, drafts: int, reviewers: int):
    """Build the call with seed_load once; later runs reuse it. Returns (call, seconds or None)."""
    from applications.models import Application
    from calls.models import Call

    call = Call.objects.filter(slug=slug).first()
    if call and Application.objects.filter(call=call).count() >= applications + drafts:
        return call, None
    started = time.perf_counter()
    call_command(
        "seed_load",
        call=slug,
        applications=applications,
        reviewers=reviewers,
        reviews_per_application=reviews_per_application,
        drafts=drafts,
        seed=1,
        stdout=io.StringIO(),
    )
    return Call.objects.get(slug=slug), time.perf_counter() - started


def shortlist(call, repeat: int = 3) -> dict:
    from cohorts.shortlist.services import run_shortlist

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            run = run_shortlist(call, trigger="command")
        times.append(time.perf_counter() - started)
    return {"best_s": min(times), "median_s": statistics.median(times), "queries": len(queries), "run": run.pk}


def lock(call) -> dict:
    """Lock a fresh run of the call, timed, in a transaction rolled back at the end: the bench
    data stays as it was. Foreign keys are checked as each statement ends (they are deferred to
    the commit otherwise, which never comes), so their cost is in the time."""
    from django.db import transaction

    from cohorts import selectors
    from cohorts.shortlist.services import lock_run, run_shortlist

    if selectors.locked_run(call) is not None:
        return {"seconds": None, "queries": 0, "changed": 0}
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        run = run_shortlist(call, trigger="command")
        started, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            # The bench call's review deadline lies ahead and not every review is in: the organiser's
            # "lock anyway" tick, so that the lock itself is what is timed.
            lock_run(run, by=None, acknowledge_missing_reviews=True)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        changed = run.call.applications.exclude(status__in=["draft", "submitted"]).count()
        transaction.set_rollback(True)
    return {"seconds": seconds, "cpu": cpu, "queries": len(queries), "changed": changed}


def _organiser_client():
    from accounts.models import User

    user, _ = User.objects.get_or_create(
        username="bench-organiser@example.org",
        defaults={"email": "bench-organiser@example.org", "is_staff": True, "is_superuser": True},
    )
    client = Client()
    client.force_login(user)
    return client


def admin_lists(big_call, small_call, requests: int = 20) -> list[dict]:
    """p95 and queries of admin list pages for the big call, and queries for a 10-row call."""
    client = _organiser_client()
    pages = [
        ("applications (admin)", "admin:applications_application_changelist", "call__id__exact", ""),
        ("review overview per application", "admin:reviews_applicationprogress_changelist", "call", ""),
        ("review overview sorted by score", "admin:reviews_applicationprogress_changelist", "call", "&o=-5"),
        ("reviews (admin)", "admin:reviews_review_changelist", "call", ""),
        ("reviewer progress", "admin:reviews_reviewerprogress_changelist", "call", ""),
    ]
    results = []
    for name, url_name, param, extra in pages:
        url = reverse(url_name)
        big_url = f"{url}?{param}={big_call.pk}{extra}"
        small_url = f"{url}?{param}={small_call.pk}{extra}"
        client.get(small_url)  # warm caches and the session's first-request writes
        with CaptureQueriesContext(connection) as small_q:
            small = client.get(small_url)
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as big_q:
                big = client.get(big_url)
            timings.append(time.perf_counter() - started)
        assert small.status_code == big.status_code == 200, (name, small.status_code, big.status_code)
        timings.sort()
        results.append(
            {
                "name": name,
                "p95_ms": timings[int(0.95 * (len(timings) - 1))] * 1000,
                "queries_big": len(big_q),
                "queries_small": len(small_q),
            }
        )
    return results


def export_in_subprocess(kind: str, call_slug: str, fmt: str, scope: str = "submitted") -> dict:
    """Time and peak memory growth of one export, in a fresh process so the peak is its own."""
    script = f"""
import os, sys, time, io
sys.path.insert(0, {str(ROOT)!r})
import django; django.setup()
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

def rss(field):
    for line in open('/proc/self/status'):
        if line.startswith(field):
            return int(line.split()[1]) * 1024
base = rss('VmRSS:')
open('/proc/self/clear_refs', 'w').write('5')  # reset the peak to the current size
out = '/tmp/bench-export.{fmt}'
started = time.perf_counter()
with CaptureQueriesContext(connection) as q:
    if {kind!r} == 'cohort':
        call_command('export_cohort', {call_slug!r}, scope={scope!r}, format={fmt!r}, output=out, stdout=io.StringIO())
    else:
        call_command('export_reviews', {call_slug!r}, format={fmt!r}, output=out, stdout=io.StringIO())
elapsed = time.perf_counter() - started
print(elapsed, (rss('VmHWM:') - base) / 2**20, len(q), os.path.getsize(out))
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    seconds, mib, queries, size = out.stdout.strip().splitlines()[-1].split()
    return {"seconds": float(seconds), "mib": float(mib), "queries": int(queries), "bytes": int(size)}


def reminder_sweep(call) -> dict:
    """One founder-reminder pass over the call's drafts, pretending to be 47 hours before its deadline.

    Committed batch by batch as in production, then undone (ledger rows, their e-mails and the
    queued deliveries): otherwise the next run would find every reminder sent already.
    """
    from accelerator.celery import app
    from mail.models import OutboxMessage
    from reminders import services
    from reminders.models import Reminder, ReminderKind

    before = OutboxMessage.objects.filter(kind="reminder_founder").count()
    now = call.closes_at - dt.timedelta(hours=47)
    reset_queries()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        sent = services.send_founder_reminders(now)
    elapsed = time.perf_counter() - started
    queued = OutboxMessage.objects.filter(kind="reminder_founder").count() - before
    with transaction.atomic():
        ledger = Reminder.objects.filter(call=call, kind=ReminderKind.FOUNDER_DEADLINE)
        messages = list(ledger.values_list("message_id", flat=True))
        ledger.delete()
        OutboxMessage.objects.filter(pk__in=messages).delete()
    app.control.purge()
    batches = max(1, -(-len(sent) // services.BATCH_SIZE))
    return {
        "sent": len(sent),
        "queued": queued,
        "seconds": elapsed,
        "per_second": len(sent) / elapsed if elapsed else 0,
        "queries": len(queries),
        "queries_per_batch": len(queries) / batches,
        "batch_size": services.BATCH_SIZE,
    }
