"""Who is owed a reminder, and the ledger as organisers see it."""

import datetime as dt

from django.db.models import Count, Exists, F, IntegerField, OuterRef, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from accounts.models import User
from applications.models import SUBMITTED_STATUSES, Application, Status, TeamMember
from calls.models import Call
from calls.selectors import calls_with_reviews_open
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
