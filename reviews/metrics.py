"""Reviews done and due per call in review, for /metrics (ops.metrics)."""

from django.db.models import Sum
from django.utils import timezone

from ops.metrics import gauge
from reviews.models import ReviewerSummary


def review_gauges():
    """From the reviewer summaries (kept in the transaction of every change): one small read."""
    now = timezone.now()
    figures = (
        ReviewerSummary.objects.filter(call__review_deadline__gt=now, call__decided_at__isnull=True)
        .order_by()
        .values_list("call__slug")
        .annotate(assigned=Sum("assigned_count"), submitted=Sum("submitted_count"))
    )
    rows = []
    for slug, assigned, submitted in figures:
        rows += [(slug, "done", submitted), (slug, "due", assigned - submitted)]
    yield gauge(
        "portal_reviews",
        "Reviews of each call still in review: done (submitted) and due (assigned, not submitted yet).",
        ["call", "state"],
        rows,
    )
