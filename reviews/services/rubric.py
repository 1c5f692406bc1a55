"""A call's rubric once reviews exist: weights can change (every score follows), scales and the
list of criteria cannot.

Every stored weighted score is sum(weight x score) / sum(weight) over the review's scores with
the rubric's current weights. ``change_weights`` keeps that true: it writes the new weights and
recomputes the weighted scores of the whole call, and the review summaries derived from them, in
a few UPDATE statements with aggregate subqueries (never one save per review), in the caller's
transaction, then records the change (RubricChange) and tells the apps above
(``reviews.signals``: cohorts marks the shortlist runs stale).

A criterion's scale, and which criteria there are, cannot change once scores exist: the scores
given would mean something else (a 4 on a scale of 5 is not a 4 on a scale of 10), and submitted
reviews would miss a score. ``check_rubric_edit`` says why, for forms and for the services here;
on PostgreSQL the database refuses a scale change under existing scores too (see the migration
reviews 0007).
"""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from calls import phases
from calls.models import Call, Criterion
from reviews.models import (
    Assignment,
    AssignmentState,
    Review,
    ReviewerSummary,
    ReviewStatus,
    ReviewSummary,
    RubricChange,
    Score,
)
from reviews.signals import rubric_changed

MAX_WEIGHT = 100


class RubricFrozen(ValidationError):
    """The rubric cannot change this way now; the message says why, for the organiser."""


def scored(call: Call) -> bool:
    """Whether any review of the call has a score: from then on the rubric's scales and criteria are fixed."""
    return Score.objects.filter(criterion__call=call).exists()


def reviews_to_rescore(call: Call) -> int:
    """How many reviews a change of weights would recompute (those with every score given)."""
    has_scores = Score.objects.filter(review=OuterRef("pk"))
    return Review.objects.filter(Exists(has_scores), call=call, weighted_score__isnull=False).count()


def check_rubric_edit(call: Call, *, scales=None, deleted=(), added=0) -> None:
    """Refuse a change of scale (criterion id -> new maximum), a deletion (criteria) or an addition
    (how many new criteria) once the call's reviews have scores. Raises RubricFrozen."""
    scales = {pk: new for pk, new in (scales or {}).items() if new is not None}
    if not (scales or deleted or added) or not scored(call):
        return
    current = dict(Criterion.objects.filter(call=call).values_list("pk", "scale_max"))
    messages = []
    if any(current.get(pk) != new for pk, new in scales.items()):
        messages.append(
            _(
                "Reviewers have already scored this call: the scales cannot change any more, or the "
                "scores given would mean something else. Keep the scale, or create a new call."
            )
        )
    if deleted:
        messages.append(
            _(
                "Reviewers have already scored this call: a criterion cannot be deleted any more, "
                "or the reviews' weighted scores would lose part of what they say. Give it a "
                "different weight instead."
            )
        )
    if added:
        messages.append(
            _(
                "Reviewers have already scored this call: a new criterion cannot be added any more, "
                "or the reviews already submitted would have no score for it."
            )
        )
    if messages:
        raise RubricFrozen(messages)


def check_weights_may_change(call: Call) -> None:
    """Weights are frozen once the shortlist is locked (calls.phases): its decisions were taken on them."""
    if phases.shortlist_locked(call):
        raise RubricFrozen(
            _(
                "The shortlist of this call is locked: its decisions were taken on these weights, "
                "which can no longer change."
            )
        )


def _check_weights(weights: dict) -> None:
    for weight in weights.values():
        if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= MAX_WEIGHT:
            raise ValidationError(
                _("A weight is a whole number from 1 to %(max)d.") % {"max": MAX_WEIGHT}, code="weight_range"
            )


def change_weights(call: Call, *, by, weights: dict[int, int], now=None):
    """Give the call's criteria new weights (criterion id -> weight; others keep theirs) and make
    every stored score follow. Returns the RubricChange recorded, or None when no weight changed or
    no review is scored yet (nothing to recompute, nothing to record).

    Raises ValidationError for a weight out of range or a criterion of another call, and
    RubricFrozen when an app above refuses (the shortlist is locked).
    """
    _check_weights(weights)
    now = now or timezone.now()
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        criteria = list(Criterion.objects.select_for_update().filter(call=call).order_by("order", "id"))
        by_id = {c.pk: c for c in criteria}
        if set(weights) - set(by_id):
            raise ValidationError(_("These criteria are not part of this call's rubric."), code="foreign_criterion")
        changed = [c for c in criteria if weights.get(c.pk, c.weight) != c.weight]
        if not changed:
            return None
        check_weights_may_change(call)
        record = scored(call)
        before = {c.pk: c.weight for c in criteria}
        for criterion in changed:
            criterion.weight = weights[criterion.pk]
        Criterion.objects.bulk_update(changed, ["weight"])
        if not record:
            return None
        count = recompute_weighted_scores(call)
        change = RubricChange.objects.create(
            call=call,
            changed_by=by,
            changed_at=now,
            weights=[{"criterion": c.pk, "name": c.name, "before": before[c.pk], "after": c.weight} for c in criteria],
            reviews_changed=count,
        )
        rubric_changed.send(sender=Call, call=call, by=by, change=change)
    return change


def set_scale(criterion: Criterion, *, by, scale_max: int) -> Criterion:
    """Change a criterion's scale; refused (RubricFrozen) once its call's reviews have scores."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=criterion.call_id)
        check_rubric_edit(call, scales={criterion.pk: scale_max})
        criterion.scale_max = scale_max
        criterion.full_clean()
        criterion.save(update_fields=["scale_max"])
    return criterion


def delete_criterion(criterion: Criterion, *, by) -> None:
    """Delete a criterion; refused (RubricFrozen) once its call's reviews have scores."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=criterion.call_id)
        check_rubric_edit(call, deleted=[criterion])
        criterion.delete()


def rescore_message(count: int) -> str:
    return ngettext(
        "%(n)d review will be scored again with the new weights, and the shortlist runs of this "
        "call must be run again before one can be locked.",
        "%(n)d reviews will be scored again with the new weights, and the shortlist runs of this "
        "call must be run again before one can be locked.",
        count,
    ) % {"n": count}


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def recompute_weighted_scores(call: Call) -> int:
    """Rewrite the weighted score of every scored review of the call from the current weights, and
    the summaries that add them up. Three UPDATEs, each joined to one aggregate over the call;
    returns how many reviews got a different score.

    The division is done in double precision on the exact integer sums, which is what
    reviews.services.scoring.weighted_score computes in Python, to the last bit. Reviews without
    a weighted score (drafts not scored on every criterion) keep none.
    """
    review, score, criterion = _table(Review), _table(Score), _table(Criterion)
    assignment, summary, reviewer_summary = _table(Assignment), _table(ReviewSummary), _table(ReviewerSummary)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    submitted, active = ReviewStatus.SUBMITTED.value, AssignmentState.ACTIVE.value
    # Only table names are interpolated; values are parameters.
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {review} AS r SET weighted_score = f.score
            FROM (
                SELECT s.review_id,
                       CAST(SUM(c.weight * s.value) AS DOUBLE PRECISION)
                       / CAST(SUM(c.weight) AS DOUBLE PRECISION) AS score
                FROM {score} AS s JOIN {criterion} AS c ON c.id = s.criterion_id
                WHERE c.call_id = %s
                GROUP BY s.review_id
            ) AS f
            WHERE r.id = f.review_id AND r.call_id = %s
              AND r.weighted_score IS NOT NULL AND r.weighted_score <> f.score
            """,  # noqa: S608
            [call.pk, call.pk],
        )
        count = cursor.rowcount
        if not count:
            return 0
        cursor.execute(
            f"""
            UPDATE {summary} AS m SET mean_score = f.mean, score_spread = f.spread, updated_at = %s
            FROM (
                SELECT a.application_id, AVG(r.weighted_score) AS mean, STDDEV_POP(r.weighted_score) AS spread
                FROM {review} AS r JOIN {assignment} AS a ON a.id = r.assignment_id
                WHERE r.call_id = %s AND r.status = %s AND a.state = %s
                GROUP BY a.application_id
            ) AS f
            WHERE m.application_id = f.application_id
            """,  # noqa: S608
            [now, call.pk, submitted, active],
        )
        cursor.execute(
            f"""
            UPDATE {reviewer_summary} AS m SET score_sum = f.total, score_square_sum = f.squares, updated_at = %s
            FROM (
                SELECT a.reviewer_id, SUM(r.weighted_score) AS total,
                       SUM(r.weighted_score * r.weighted_score) AS squares
                FROM {review} AS r JOIN {assignment} AS a ON a.id = r.assignment_id
                WHERE r.call_id = %s AND r.status = %s AND a.state = %s
                GROUP BY a.reviewer_id
            ) AS f
            WHERE m.call_id = %s AND m.reviewer_id = f.reviewer_id
            """,  # noqa: S608
            [now, call.pk, submitted, active, call.pk],
        )
    return count
