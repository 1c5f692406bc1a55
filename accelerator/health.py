"""/healthz: is the portal able to serve? Used by load balancers and uptime checks.

503 when the database or the broker is down (this machine cannot serve); 200 with status
"degraded" when beat's sweep has not completed for fifteen minutes (reminders, shortlists and the
outbox's retries have stopped, but pages still work: a load balancer must not take machines out),
or when no Celery worker has sent a heartbeat for WORKER_STALE_AFTER seconds (e-mails wait in the
outbox until one is back).
"""

import contextlib
import datetime as dt
import functools
import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from reminders.selectors import last_sweep_completed_at

SWEEP_STALE_AFTER = dt.timedelta(minutes=15)
# Workers beat every 2 seconds (Celery's default); a few missed beats mean none is running. A worker
# with --pool=solo busy with one long task (make run) beats late too.
WORKER_STALE_AFTER = 10
WORKER_HEARTBEAT_KEY = "portal:celery-worker-heartbeat"


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return f"error: {type(exc).__name__}"
    return "ok"


def _redis():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)


def check_broker() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    try:
        _redis().ping()
    except Exception as exc:  # noqa: BLE001
        return f"error: {type(exc).__name__}"
    return "ok"


def record_worker_heartbeat(now: float | None = None) -> None:
    """Called in each Celery worker on every heartbeat (accelerator.celery)."""
    if not settings.REDIS_URL:
        return
    with contextlib.suppress(Exception):  # Redis down: the broker check says so
        _heartbeat_client(settings.REDIS_URL).set(WORKER_HEARTBEAT_KEY, f"{now or time.time():.3f}", ex=24 * 3600)


@functools.lru_cache(maxsize=2)
def _heartbeat_client(url):
    # One client (and connection pool) per worker process: a beat every 2 s, not a connection each.
    return _redis()


def check_worker(now: float | None = None) -> str:
    if not settings.REDIS_URL:
        return "not configured"
    try:
        value = _redis().get(WORKER_HEARTBEAT_KEY)
    except Exception as exc:  # noqa: BLE001
        return f"error: {type(exc).__name__}"
    if value is None:
        return "no heartbeat"
    age = (now or time.time()) - float(value)
    return "ok" if age <= WORKER_STALE_AFTER else f"stale: last heartbeat {int(age)} s ago"


def check_sweep(now=None) -> str:
    try:
        completed = last_sweep_completed_at()
    except Exception as exc:  # noqa: BLE001 - the database check reports the cause
        return f"error: {type(exc).__name__}"
    if completed is None:
        return "never completed"
    age = (now or timezone.now()) - completed
    minutes = int(age.total_seconds() // 60)
    return "ok" if age <= SWEEP_STALE_AFTER else f"stale: last completed {minutes} minutes ago"


@never_cache
@require_GET
def healthz(request):
    checks = {"database": check_database(), "broker": check_broker()}
    healthy = all(value in ("ok", "not configured") for value in checks.values())
    checks["sweep"] = check_sweep()
    checks["worker"] = check_worker() if checks["broker"] == "ok" else checks["broker"]
    background_ok = checks["sweep"] == "ok" and checks["worker"] in ("ok", "not configured")
    status = "error" if not healthy else "ok" if background_ok else "degraded"
    return JsonResponse({"status": status, **checks}, status=200 if healthy else 503)
