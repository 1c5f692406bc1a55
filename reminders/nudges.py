"""The organisers' "Remind reviewers with reviews due" (the call's cockpit): one e-mail now, outside
the schedule, to each reviewer who still has reviews to submit in the call.

At most once per reviewer, call and day (the call's calendar day, Paris time): the outbox's
dedupe key says so, so a second click, a second organiser or a retried request on the same day
sends nothing more. The e-mail is the scheduled reminder's (reminder_reviewer), with the same
values: how many reviews, which startups, the review deadline in the call's zone, in the
reviewer's language.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation

from calls.models import Call
from calls.selectors import reviews_closed
from mail.models import OutboxMessage
from mail.services import queue_mails
from reminders import mails, selectors

NUDGE_PREFIX = "reviewer-nudge:"


@dataclass
class NudgePlan:
    """Who a nudge would reach now: [(reviewer, reviews due)], and who already had one today."""

    day: dt.date
    to_send: list[tuple] = field(default_factory=list)
    already: list[tuple] = field(default_factory=list)


def nudge_day(call: Call, now: dt.datetime) -> dt.date:
    return now.astimezone(zoneinfo.ZoneInfo(call.time_zone)).date()


def nudge_key(call: Call, reviewer_id: int, day: dt.date) -> str:
    return f"{NUDGE_PREFIX}{call.pk}:{reviewer_id}:{day.isoformat()}"


def plan_nudge(call: Call, now: dt.datetime | None = None) -> NudgePlan:
    """What nudge_reviewers would send at `now`, without sending anything (the confirmation page)."""
    now = now or timezone.now()
    plan = NudgePlan(day=nudge_day(call, now))
    if reviews_closed(call, now=now):
        return plan
    reviewers = list(selectors.reviewers_with_reviews_due(call))
    counts = {
        reviewer_id: total
        for reviewer_id, (_listed, total) in selectors.pending_assignments(
            call, [r.pk for r in reviewers], limit=0
        ).items()
    }
    keys = {r.pk: nudge_key(call, r.pk, plan.day) for r in reviewers}
    sent = set(OutboxMessage.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
    for reviewer in reviewers:
        row = (reviewer, counts.get(reviewer.pk, 0))
        (plan.already if keys[reviewer.pk] in sent else plan.to_send).append(row)
    return plan


def nudge_reviewers(call: Call, *, now: dt.datetime | None = None) -> NudgePlan:
    """Queue one reminder to each reviewer with reviews due in the call who has not had one today.

    Returns the plan as carried out: to_send are those e-mailed now. Nothing once reviews are closed."""
    now = now or timezone.now()
    with transaction.atomic():
        plan = plan_nudge(call, now)
        if not plan.to_send:
            return plan
        reviewers = [reviewer for reviewer, _count in plan.to_send]
        pending = selectors.pending_assignments(call, [r.pk for r in reviewers], limit=mails.LISTED_ASSIGNMENTS)
        admin_url = mails.reviews_admin_url()
        queued = []
        for reviewer in reviewers:
            listed, total = pending.get(reviewer.pk, ([], 0))
            with translation.override(reviewer.language):
                values = {
                    **mails.deadline_values(call, call.review_deadline, now),
                    **mails.reviewer_values(listed, total),
                    "url": admin_url,
                }
            queued.append(
                {
                    "kind": mails.REVIEWER_KIND,
                    "to": reviewer.email,
                    "language": reviewer.language,
                    "recipient": reviewer,
                    "dedupe_key": nudge_key(call, reviewer.pk, plan.day),
                    "context": {"user": reviewer, "call": call, **values},
                }
            )
        queue_mails(queued)
    return plan
