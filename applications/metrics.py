"""Applications by status per open call, for /metrics (ops.metrics)."""

from django.db.models import Count
from django.utils import timezone

from applications.models import Application
from ops.metrics import gauge


def application_gauges():
    now = timezone.now()
    rows = (
        Application.objects.filter(call__opens_at__lte=now, call__closes_at__gt=now)
        .order_by()
        .values_list("call__slug", "status")
        .annotate(count=Count("pk"))
    )
    yield gauge(
        "portal_applications",
        "Applications to each open call, by status.",
        ["call", "status"],
        rows,
    )
