"""The outbox's gauges for /metrics (ops.metrics): what waits, what failed, how long the oldest waits."""

from django.db.models import Count, Min, Q
from django.utils import timezone

from mail.models import OutboxMessage, OutboxStatus
from ops.metrics import gauge


def outbox_gauges():
    figures = OutboxMessage.objects.aggregate(
        pending=Count("pk", filter=Q(status=OutboxStatus.PENDING)),
        failed=Count("pk", filter=Q(status=OutboxStatus.FAILED)),
        oldest=Min("created_at", filter=Q(status=OutboxStatus.PENDING)),
    )
    oldest = figures["oldest"]
    yield gauge(
        "portal_outbox_messages",
        "E-mails in the outbox by status: pending (not sent yet) or failed (given up after retries).",
        ["status"],
        [("pending", figures["pending"]), ("failed", figures["failed"])],
    )
    yield gauge(
        "portal_outbox_oldest_pending_age_seconds",
        "How long the oldest pending e-mail has waited (0 when none waits).",
        rows=[((timezone.now() - oldest).total_seconds() if oldest else 0.0,)],
    )
