"""Reads on reviews: who reviews what, what a reviewer may see, progress and score statistics.

Other apps rely on: `submitted_reviews(call)` (the reviews that count: submitted, on an active
assignment), `pending_assignments(call)` (active assignments without a submitted review) and
`reviewer_pool()`.
"""

from django.contrib.auth.models import Group
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Sqrt
from django.http import Http404

from accounts.models import User
from accounts.roles import REVIEWERS
from applications.access import readable_applications
from applications.models import Application, Status
from calls.phases import reviews_closed_q
from calls.selectors import reviews_closed
from reviews.models import (
    Assignment,
    AssignmentState,
    Conflict,
    Review,
    ReviewChange,
    ReviewerProfile,
    ReviewStatus,
    WorkState,
)


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


def with_work_state(assignments: QuerySet[Assignment], now=None) -> QuerySet[Assignment]:
    """Each assignment's WorkState: a review not submitted when the call's reviews have closed
    (review deadline passed, or shortlist locked) is "closed", not "to do"."""
    return assignments.annotate(
        work_state=Case(
            When(review__status=ReviewStatus.SUBMITTED, then=Value(WorkState.SUBMITTED)),
            When(reviews_closed_q(now, prefix="application__call__"), then=Value(WorkState.CLOSED)),
            default=Coalesce("review__status", Value(WorkState.TODO)),
            output_field=CharField(),
        )
    )


def my_assignments(user) -> QuerySet[Assignment]:
    """A reviewer's own active assignments: the only applications they may open."""
    return with_work_state(
        Assignment.objects.filter(reviewer=user, state=AssignmentState.ACTIVE).select_related(
            "application__call", "review"
        )
    )


def _open_assignments(user) -> list[Assignment]:
    """The assignments a reviewer may open (active, no conflict declared), soonest due first."""
    return list(
        my_assignments(user)
        .filter(application__in=readable_applications(user))
        .order_by("application__call__review_deadline", "application__startup_name", "pk")
    )


def _to_do(assignments: list[Assignment]) -> list[Assignment]:
    """Not submitted and still open for reviews: drafts first, then the soonest due."""
    todo = [a for a in assignments if a.work_state != WorkState.SUBMITTED and not reviews_closed(a.application.call)]
    return sorted(todo, key=lambda a: a.work_state != WorkState.DRAFT)  # stable: keeps the due order


def reviewer_queue(user) -> dict:
    """A reviewer's work at a glance: how many reviews are done and to do, the earliest due date of
    those to do (with its zone), and the next one to open.

    One still to do on a call whose reviews are closed counts as neither done nor to do.
    """
    assignments = _open_assignments(user)
    done = sum(1 for a in assignments if a.work_state == WorkState.SUBMITTED)
    todo = _to_do(assignments)
    first_due = min(todo, key=lambda a: a.application.call.review_deadline, default=None)
    return {
        "done": done,
        "todo": len(todo),
        "total": done + len(todo),
        "due": first_due.application.call.review_deadline if first_due else None,
        "time_zone": first_due.application.call.time_zone if first_due else "Europe/Paris",
        "next": todo[0] if todo else None,
    }


def next_review(user, *, after=None) -> Assignment | None:
    """The review to open after the assignment `after` (an id): the first other one still to do."""
    return next((a for a in _to_do(_open_assignments(user)) if a.pk != after), None)


def assigned_without_conflict(user) -> Q:
    """The applications a reviewer reads: assigned to them, the assignment active, no conflict declared.

    Registered in applications.access (reviews.apps), the one rule of who reads an application.
    """
    assigned = Assignment.objects.filter(application=OuterRef("pk"), reviewer=user, state=AssignmentState.ACTIVE)
    conflicted = Conflict.objects.filter(application=OuterRef("pk"), reviewer=user)
    return Q(Exists(assigned)) & ~Q(Exists(conflicted))


def assignment_for_reviewer(user, pk) -> Assignment:
    """One of the user's active assignments, or 404 whether it exists or not (ids reveal nothing)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    assignment = my_assignments(user).filter(pk=pk).first()
    # The page shows the application: the one access rule has the last word (a conflict declared
    # without releasing the assignment still hides it).
    if assignment is None or not readable_applications(user).filter(pk=assignment.application_id).exists():
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
    """Per application: assigned, submitted, mean and spread of weighted scores, disagreement flag.

    Read from ReviewSummary (kept by reviews.services), so sorting or filtering 100,000 applications
    by score uses an index; an application never assigned has no summary and shows zeros.
    """
    return applications.annotate(
        assigned_count=Coalesce(F("review_summary__assigned_count"), 0),
        submitted_count=Coalesce(F("review_summary__submitted_count"), 0),
        mean_score=F("review_summary__mean_score"),
        score_spread=F("review_summary__score_spread"),
        disagreement=Case(
            When(review_summary__score_spread__gt=F("call__disagreement_threshold"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def reviewers_queryset() -> QuerySet[User]:
    """Everyone who reviews or reviewed: members of the Reviewers group and holders of a reviewer profile.

    Built from the two small tables (ids first), so it never scans the founders' accounts.
    """
    members = User.groups.through.objects.filter(group__name=REVIEWERS).values_list("user_id", flat=True)
    profiles = ReviewerProfile.objects.values_list("user_id", flat=True)
    return User.objects.filter(pk__in={*members, *profiles})


def with_reviewer_stats(users: QuerySet[User], call=None) -> QuerySet[User]:
    """Per reviewer (in one call, or all): assigned, submitted, drafts, mean and spread of their scores.

    Read from ReviewerSummary (one row per reviewer and call, kept by reviews.services), so the
    page sums a few hundred rows instead of aggregating every assignment of a call; the list sorts
    by these figures in SQL. Mean and population spread come from the sums of the scores and of
    their squares, which add up over several calls.
    """
    in_call = Q(review_figures__call=call) if call is not None else Q()

    def total(name):
        return Sum(f"review_figures__{name}", filter=in_call)

    users = users.annotate(
        assigned_count=Coalesce(total("assigned_count"), 0),
        submitted_count=Coalesce(total("submitted_count"), 0),
        draft_count=Coalesce(total("draft_count"), 0),
        _score_sum=total("score_sum"),
        _square_sum=total("score_square_sum"),
    )
    scored = Q(submitted_count__gt=0)
    n = Cast("submitted_count", FloatField())
    users = users.annotate(
        mean_score=Case(When(scored, then=F("_score_sum") / n), default=None, output_field=FloatField())
    )
    variance = F("_square_sum") / n - F("mean_score") * F("mean_score")
    return users.annotate(
        score_spread=Case(
            # Rounding can leave a tiny negative variance where every score is the same.
            When(scored, then=Sqrt(Greatest(variance, Value(0.0)))),
            default=None,
            output_field=FloatField(),
        )
    )


def reviewers_group() -> Group | None:
    return Group.objects.filter(name=REVIEWERS).first()
