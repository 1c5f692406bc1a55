"""The sweep's gauge for /metrics (ops.metrics)."""

from django.utils import timezone

from ops.metrics import gauge
from reminders.selectors import last_sweep_completed_at


def sweep_gauges():
    completed = last_sweep_completed_at()
    # Never completed: reported as infinitely old, so that an alert on "older than 15 minutes" fires.
    age = (timezone.now() - completed).total_seconds() if completed else float("inf")
    yield gauge(
        "portal_sweep_last_completed_age_seconds",
        "Seconds since beat's periodic sweep last completed without a failed step.",
        rows=[(age,)],
    )
