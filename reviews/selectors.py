"""Reads on reviews: who reviews what, what a reviewer may see, progress and score statistics.

Other apps rely on: `submitted_reviews(call)` (the reviews that count: submitted, on an active
assignment), `pending_assignments(call)` (active assignments without a submitted review) and
`reviewer_pool()`.
"""

from django.contrib.auth.models import Group
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    StdDev,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import User
from accounts.roles import REVIEWERS
from applications.models import Application, Status
from reviews.models import Assignment, AssignmentState, Review, ReviewChange, ReviewStatus, WorkState


def reviewer_pool() -> QuerySet[User]:
    """People automatic assignment may choose: active staff in the Reviewers group."""
    return User.objects.filter(is_active=True, is_staff=True, groups__name=REVIEWERS).select_related("reviewer_profile")


def reviewable_applications(call) -> QuerySet[Application]:
    """Applications of a call that are waiting for reviews (submitted, not withdrawn or decided)."""
    return Application.objects.filter(call=call, status=Status.SUBMITTED)


def submitted_reviews(call) -> QuerySet[Review]:
    """The reviews that count for a call: submitted, on an assignment that was not released."""
    return Review.objects.filter(
        status=ReviewStatus.SUBMITTED,
        assignment__state=AssignmentState.ACTIVE,
        assignment__application__call=call,
    )


def pending_assignments(call) -> QuerySet[Assignment]:
    """Active assignments on submitted applications whose review is not submitted yet."""
    return Assignment.objects.filter(
        application__call=call, application__status=Status.SUBMITTED, state=AssignmentState.ACTIVE
    ).filter(Q(review__isnull=True) | Q(review__status=ReviewStatus.DRAFT))


def with_work_state(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return assignments.annotate(work_state=Coalesce("review__status", Value(WorkState.TODO)))


def my_assignments(user) -> QuerySet[Assignment]:
    """A reviewer's own active assignments: the only applications they may open."""
    return with_work_state(
        Assignment.objects.filter(reviewer=user, state=AssignmentState.ACTIVE).select_related(
            "application__call", "review"
        )
    )


def assignment_for_reviewer(user, pk) -> Assignment:
    """One of the user's active assignments, or 404 whether it exists or not (ids reveal nothing)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    assignment = my_assignments(user).filter(pk=pk).first()
    if assignment is None:
        raise Http404
    return assignment


def own_review(assignment) -> Review | None:
    try:
        return assignment.review
    except Review.DoesNotExist:
        return None


def other_reviews(assignment, review: Review | None) -> list[Review]:
    """Other reviewers' submitted reviews, only once this reviewer has submitted theirs (no anchoring)."""
    if review is None or review.status != ReviewStatus.SUBMITTED:
        return []
    return list(
        Review.objects.filter(
            assignment__application_id=assignment.application_id,
            assignment__state=AssignmentState.ACTIVE,
            status=ReviewStatus.SUBMITTED,
        )
        .exclude(assignment_id=assignment.pk)
        .select_related("assignment__reviewer__reviewer_profile")
        .prefetch_related("scores__criterion")
        .order_by("submitted_at", "id")
    )


def review_history(review) -> QuerySet[ReviewChange]:
    return review.changes.select_related("changed_by").order_by("changed_at", "id")


# Statistics for the organiser's overview. Population standard deviation, as in the shortlist's
# z-scores; an application with one review has a spread of 0.

_ACTIVE = Q(assignments__state=AssignmentState.ACTIVE)
_SUBMITTED = _ACTIVE & Q(assignments__review__status=ReviewStatus.SUBMITTED)


def with_review_stats(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Per application: assigned, submitted, mean and spread of weighted scores, disagreement flag."""
    return applications.annotate(
        assigned_count=Count("assignments", filter=_ACTIVE),
        submitted_count=Count("assignments__review", filter=_SUBMITTED),
        mean_score=Avg("assignments__review__weighted_score", filter=_SUBMITTED),
        score_spread=StdDev("assignments__review__weighted_score", filter=_SUBMITTED),
    ).annotate(
        disagreement=Case(
            When(score_spread__gt=F("call__disagreement_threshold"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def reviewers_queryset() -> QuerySet[User]:
    """Everyone who reviews: members of the Reviewers group and anyone who was ever assigned."""
    membership = User.groups.through.objects.filter(user=OuterRef("pk"), group__name=REVIEWERS)
    assigned = Assignment.objects.filter(reviewer=OuterRef("pk"))
    return User.objects.filter(Q(Exists(membership)) | Q(Exists(assigned)))


def with_reviewer_stats(users: QuerySet[User], call=None) -> QuerySet[User]:
    """Per reviewer (in one call, or all): assigned, submitted, drafts, mean and spread of their scores."""
    active = _ACTIVE
    if call is not None:
        active &= Q(assignments__application__call=call)
    submitted = active & Q(assignments__review__status=ReviewStatus.SUBMITTED)
    return users.annotate(
        assigned_count=Count("assignments", filter=active),
        submitted_count=Count("assignments__review", filter=submitted),
        draft_count=Count("assignments__review", filter=active & Q(assignments__review__status=ReviewStatus.DRAFT)),
        mean_score=Avg("assignments__review__weighted_score", filter=submitted),
        score_spread=StdDev("assignments__review__weighted_score", filter=submitted),
    )


def reviewers_group() -> Group | None:
    return Group.objects.filter(name=REVIEWERS).first()
