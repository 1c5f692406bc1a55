"""Keep ReviewSummary rows equal to what the assignments and reviews say.

Every service that changes an assignment's state or a review calls refresh_summaries for the
applications it touched, in the same transaction. The figures are recomputed from the source rows
(never incremented), so a refresh is always safe to repeat.
"""

from collections.abc import Iterable

from django.db.models import Avg, Count, StdDev

from applications.models import Application
from reviews.models import Assignment, AssignmentState, Review, ReviewStatus, ReviewSummary

BATCH = 5000


def _refresh_batch(app_ids: list[int]) -> None:
    assigned = dict(
        Assignment.objects.filter(application_id__in=app_ids, state=AssignmentState.ACTIVE)
        .order_by()
        .values("application_id")
        .annotate(n=Count("pk"))
        .values_list("application_id", "n")
    )
    stats = {
        row["assignment__application_id"]: row
        for row in Review.objects.filter(
            assignment__application_id__in=app_ids,
            assignment__state=AssignmentState.ACTIVE,
            status=ReviewStatus.SUBMITTED,
        )
        .order_by()
        .values("assignment__application_id")
        .annotate(n=Count("pk"), mean=Avg("weighted_score"), spread=StdDev("weighted_score"))
    }
    summaries = []
    for app_id in app_ids:
        row = stats.get(app_id, {})
        summaries.append(
            ReviewSummary(
                application_id=app_id,
                assigned_count=assigned.get(app_id, 0),
                submitted_count=row.get("n", 0),
                mean_score=row.get("mean"),
                score_spread=row.get("spread"),
            )
        )
    ReviewSummary.objects.bulk_create(
        summaries,
        update_conflicts=True,
        unique_fields=["application"],
        update_fields=["assigned_count", "submitted_count", "mean_score", "score_spread", "updated_at"],
    )


def refresh_summaries(application_ids: Iterable[int]) -> int:
    """Recompute the summaries of these applications. Returns how many."""
    ids = sorted(set(application_ids))
    for start in range(0, len(ids), BATCH):
        _refresh_batch(ids[start : start + BATCH])
    return len(ids)


def refresh_call_summaries(call) -> int:
    """Recompute every summary of a call (repair after changes made outside reviews.services)."""
    ids = list(Application.objects.filter(call=call).values_list("pk", flat=True).order_by("pk"))
    return refresh_summaries(ids)
