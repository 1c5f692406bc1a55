"""/healthz: is the portal able to serve? Used by load balancers and uptime checks.

503 when the database or the broker is down (this machine cannot serve); 200 with status
"degraded" when beat's sweep has not completed for fifteen minutes (reminders, shortlists and the
outbox's retries have stopped, but pages still work: a load balancer must not take machines out).
"""

import datetime as dt

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from reminders.selectors import last_sweep_completed_at

SWEEP_STALE_AFTER = dt.timedelta(minutes=15)


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return f"error: {type(exc).__name__}"
    return "ok"


def check_broker() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except Exception as exc:  # noqa: BLE001
        return f"error: {type(exc).__name__}"
    return "ok"


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
    status = "error" if not healthy else "ok" if checks["sweep"] == "ok" else "degraded"
    return JsonResponse({"status": status, **checks}, status=200 if healthy else 503)
