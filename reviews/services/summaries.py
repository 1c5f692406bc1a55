"""Keep ReviewSummary and ReviewerSummary rows equal to what the assignments and reviews say.

Every service that changes an assignment's state or a review calls refresh_summaries for the
applications it touched, in the same transaction: it rewrites those applications' summaries and
the summaries of their reviewers in their calls. The figures are recomputed from the source rows
(never incremented), so a refresh is always safe to repeat.

Each refresh locks the summary rows before it reads the source rows. Two transactions that refresh
the same row (two reviewers of one application submitting at once) then run one after the other,
and the second one's reading sees what the first committed: without the lock, each would count
only its own review and the last to write would win.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Avg, Count, F, Q, StdDev, Sum

from applications.models import Application
from reviews.models import Assignment, AssignmentState, Review, ReviewerSummary, ReviewStatus, ReviewSummary

BATCH = 5000


def _lock(model, rows: list, **filters) -> None:
    """Create the summary rows that do not exist yet, then lock them all, in key order (no deadlocks)."""
    model.objects.bulk_create(rows, ignore_conflicts=True)
    list(model.objects.select_for_update().filter(**filters).order_by("pk").values_list("pk", flat=True))


def _refresh_batch(app_ids: list[int]) -> None:
    _lock(ReviewSummary, [ReviewSummary(application_id=pk) for pk in app_ids], application_id__in=app_ids)
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


@transaction.atomic(savepoint=False)
def refresh_reviewer_summaries(call_id: int, reviewer_ids: Iterable[int]) -> None:
    """Recompute these reviewers' figures in one call (active assignments only, as the overview counts)."""
    ids = sorted(set(reviewer_ids))
    if not ids:
        return
    _lock(
        ReviewerSummary,
        [ReviewerSummary(reviewer_id=pk, call_id=call_id) for pk in ids],
        call_id=call_id,
        reviewer_id__in=ids,
    )
    submitted = Q(review__status=ReviewStatus.SUBMITTED)
    score = F("review__weighted_score")
    figures = {
        row.pop("reviewer_id"): row
        for row in Assignment.objects.filter(
            application__call_id=call_id, reviewer_id__in=ids, state=AssignmentState.ACTIVE
        )
        .order_by()
        .values("reviewer_id")
        .annotate(
            assigned_count=Count("pk"),
            submitted_count=Count("review", filter=submitted),
            draft_count=Count("review", filter=Q(review__status=ReviewStatus.DRAFT)),
            score_sum=Sum(score, filter=submitted),
            score_square_sum=Sum(score * score, filter=submitted),
        )
    }
    fields = ["assigned_count", "submitted_count", "draft_count", "score_sum", "score_square_sum"]
    ReviewerSummary.objects.bulk_create(
        [
            ReviewerSummary(
                reviewer_id=pk, call_id=call_id, **{name: figures.get(pk, {}).get(name) or 0 for name in fields}
            )
            for pk in ids
        ],
        update_conflicts=True,
        unique_fields=["reviewer", "call"],
        update_fields=[*fields, "updated_at"],
    )


def _refresh_reviewers_of(app_ids: list[int]) -> None:
    """The reviewers of these applications (any assignment state: a released one leaves the figures)."""
    by_call = defaultdict(set)
    pairs = (
        Assignment.objects.filter(application_id__in=app_ids)
        .order_by()
        .values_list("application__call_id", "reviewer_id")
        .distinct()
    )
    for call_id, reviewer_id in pairs:
        by_call[call_id].add(reviewer_id)
    for call_id in sorted(by_call):
        refresh_reviewer_summaries(call_id, by_call[call_id])


@transaction.atomic(savepoint=False)
def refresh_summaries(application_ids: Iterable[int], *, reviewers: bool = True) -> int:
    """Recompute the summaries of these applications and of their reviewers. Returns how many applications."""
    ids = sorted(set(application_ids))
    for start in range(0, len(ids), BATCH):
        _refresh_batch(ids[start : start + BATCH])
    if reviewers and ids:
        _refresh_reviewers_of(ids)
    return len(ids)


@transaction.atomic(savepoint=False)
def refresh_call_summaries(call) -> int:
    """Recompute every summary of a call (repair after changes made outside reviews.services)."""
    ids = list(Application.objects.filter(call=call).values_list("pk", flat=True).order_by("pk"))
    count = refresh_summaries(ids, reviewers=False)
    reviewer_ids = set(Assignment.objects.filter(application__call=call).values_list("reviewer_id", flat=True))
    ReviewerSummary.objects.filter(call=call).exclude(reviewer_id__in=reviewer_ids).delete()
    refresh_reviewer_summaries(call.pk, reviewer_ids)
    return count
