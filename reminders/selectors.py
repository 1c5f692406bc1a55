"""Who is owed a reminder, and the ledger as organisers see it."""

import datetime as dt

from django.db.models import Count, Exists, F, IntegerField, OuterRef, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from accounts.models import User
from applications.models import SUBMITTED_STATUSES, Application, Membership, Status, TeamMember
from calls.models import Call
from calls.selectors import calls_with_reviews_open
from interviews.models import Booking, Invitation, Outcome, Slot
from reminders.models import Reminder, ReminderKind, SweepRecord
from reminders.schedule import due_offset
from reviews.models import Assignment, AssignmentState, ReviewStatus


def drafts_to_remind(call: Call, offset: int) -> QuerySet[Application]:
    """Drafts of the call whose owner has not had this reminder yet, in id order, with owner and team size."""
    already = Reminder.objects.filter(
        kind=ReminderKind.FOUNDER_DEADLINE, application=OuterRef("pk"), recipient=OuterRef("owner"), offset_hours=offset
    )
    return draft_owners(call).exclude(Exists(already))


def draft_owners(call: Call) -> QuerySet[Application]:
    """Drafts of the call whose owner can receive e-mail, in id order, with owner and team size:
    drafts_to_remind before the ledger is consulted (the sweep consults it per chunk: not_reminded)."""
    team_count = (
        TeamMember.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Application.objects.filter(call=call, status=Status.DRAFT, owner__is_active=True)
        .exclude(owner__email="")
        .select_related("owner")
        .annotate(team_count=Coalesce(Subquery(team_count, output_field=IntegerField()), Value(0)))
        .order_by("pk")
    )


def not_reminded(offset: int, drafts: list[tuple[int, int]]) -> list[int]:
    """The ids of those (draft id, owner id), in id order, whose owner has not had this reminder
    yet: one query over the ledger rows of their id range (a range, not a list of thousands of ids)."""
    if not drafts:
        return []
    ledger = Reminder.objects.filter(
        kind=ReminderKind.FOUNDER_DEADLINE,
        offset_hours=offset,
        application_id__gte=drafts[0][0],
        application_id__lte=drafts[-1][0],
    )
    done = set(ledger.values_list("application_id", "recipient_id"))
    return [pk for pk, owner in drafts if (pk, owner) not in done]


def unsubmitted_assignments(call: Call) -> QuerySet[Assignment]:
    """Active assignments of the call whose review is not submitted (or not started)."""
    return (
        Assignment.objects.filter(
            application__call=call, application__status__in=SUBMITTED_STATUSES, state=AssignmentState.ACTIVE
        )
        .exclude(review__status=ReviewStatus.SUBMITTED)
        .order_by()
    )


def pending_assignments(call: Call, reviewer_ids: list[int], limit: int) -> dict[int, tuple[list[dict], int]]:
    """{reviewer id: (first `limit` unsubmitted assignments, how many in all)} in two queries."""
    pending = unsubmitted_assignments(call).filter(reviewer_id__in=reviewer_ids)
    totals = dict(pending.order_by().values("reviewer_id").annotate(n=Count("pk")).values_list("reviewer_id", "n"))
    rows = (
        pending.annotate(position=Window(RowNumber(), partition_by=[F("reviewer_id")], order_by=F("pk").asc()))
        .filter(position__lte=limit)
        .values("reviewer_id", "application_id", "application__startup_name")
        .order_by("reviewer_id", "pk")
    )
    listed: dict[int, list[dict]] = {}
    for row in rows:
        listed.setdefault(row["reviewer_id"], []).append(
            {"application_id": row["application_id"], "startup": row["application__startup_name"]}
        )
    return {reviewer_id: (listed.get(reviewer_id, []), total) for reviewer_id, total in totals.items()}


def reviewers_to_remind(call: Call, offset: int) -> QuerySet[User]:
    """Reviewers with unsubmitted assignments in the call who have not had this reminder yet."""
    already = Reminder.objects.filter(
        kind=ReminderKind.REVIEWER_DEADLINE, call=call, recipient=OuterRef("pk"), offset_hours=offset
    )
    pending = unsubmitted_assignments(call).filter(reviewer=OuterRef("pk"))
    return (
        User.objects.filter(Exists(pending), is_active=True).exclude(email="").exclude(Exists(already)).order_by("pk")
    )


def reviewers_with_reviews_due(call: Call) -> QuerySet[User]:
    """Every reviewer with unsubmitted assignments in the call who can receive e-mail, by name."""
    pending = unsubmitted_assignments(call).filter(reviewer=OuterRef("pk"))
    return (
        User.objects.filter(Exists(pending), is_active=True)
        .exclude(email="")
        .order_by("first_name", "last_name", "email", "pk")
    )


def due_now(now: dt.datetime) -> list[dict]:
    """What a sweep at `now` would send, per call, without sending anything (a dry run)."""
    plan = []
    for call in calls_with_reviews_open(now).order_by("pk"):
        offset = due_offset(call.founder_reminder_hours, call.closes_at, now)
        if offset is not None:
            drafts = drafts_to_remind(call, offset)
            plan.append(_planned(call, ReminderKind.FOUNDER_DEADLINE, offset, drafts, "owner__email"))
        offset = due_offset(call.reviewer_reminder_hours, call.review_deadline, now)
        if offset is not None:
            reviewers = reviewers_to_remind(call, offset)
            plan.append(_planned(call, ReminderKind.REVIEWER_DEADLINE, offset, reviewers, "email"))
    return plan


def _planned(call: Call, kind: str, offset: int, recipients: QuerySet, email_field: str) -> dict:
    return {
        "call": call,
        "kind": kind,
        "offset": offset,
        "recipients": list(recipients.values_list(email_field, flat=True)[:50]),
        "count": recipients.count(),
    }


def last_sweep_completed_at(name: str = "sweep") -> dt.datetime | None:
    return SweepRecord.objects.filter(name=name).values_list("completed_at", flat=True).first()


# The interview stage (issue #20) ------------------------------------------------------------


def interview_calls():
    """Calls in their interview stage: review shortlist locked, final ranking not locked yet."""
    return Call.objects.filter(
        interview_size__gt=0, shortlist_locked_at__isnull=False, final_ranking_locked_at__isnull=True
    ).order_by("pk")


def founders_of(application_ids) -> dict[int, list[User]]:
    """Each application's founders who can receive e-mail: its owner, then the co-founders who joined."""
    founders: dict[int, list[User]] = {pk: [] for pk in application_ids}
    owners = Application.objects.filter(pk__in=list(application_ids)).select_related("owner")
    for application in owners:
        founders[application.pk].append(application.owner)
    members = Membership.objects.filter(application_id__in=list(application_ids)).select_related("user")
    for membership in members.order_by("joined_at", "pk"):
        founders[membership.application_id].append(membership.user)
    return {pk: [person for person in people if person.is_active and person.email] for pk, people in founders.items()}


def invitations_without_booking(call: Call):
    """Invited startups of the call that have not booked a slot (and did not withdraw or miss it)."""
    return (
        Invitation.objects.filter(call=call, booking__isnull=True, outcome=Outcome.PENDING)
        .select_related("application")
        .order_by("review_rank", "pk")
    )


def bookings_starting(call: Call, now: dt.datetime, within: dt.timedelta):
    """The call's bookings whose interview starts after `now` and at most `within` later."""
    return (
        Booking.objects.filter(
            slot__call=call,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + within,
            invitation__outcome__in=[Outcome.PENDING, Outcome.ATTENDED],
        )
        .select_related("slot", "invitation__application")
        .order_by("slot__starts_at", "pk")
    )


def booked_slots_between(call: Call, start: dt.datetime, end: dt.datetime):
    """The call's booked slots starting in [start, end), with their panel and startup, in time order."""
    return (
        Slot.objects.filter(call=call, starts_at__gte=start, starts_at__lt=end, booking__isnull=False)
        .exclude(booking__invitation__outcome=Outcome.WITHDRAWN)
        .select_related("booking__invitation__application")
        .prefetch_related("panel")
        .order_by("starts_at", "pk")
    )
