"""Deadline reminders, exactly once.

For each batch of recipients a reminder is due for, the ledger rows are inserted first (a
unique constraint refuses a second copy), the rows this sweep won are read back, and only
those get an e-mail, queued in the same transaction. Whatever runs the sweep, however often,
in parallel or after a crash, a reminder is queued once; the outbox delivers and retries it.
"""

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter

from django.db import transaction
from django.db.models import CharField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone, translation

from calls.models import Call
from calls.selectors import calls_with_reviews_open, open_calls
from mail.models import OutboxMessage
from mail.services import queue_mails
from reminders import mails, selectors
from reminders.models import Reminder, ReminderKind, SweepRecord
from reminders.schedule import due_offset

BATCH_SIZE = 500
# SweepRecord's name for beat's sweep.
SWEEP = "sweep"
# Drafts whose ledger rows are looked up at once, by id: the sweep's reads when nothing is due.
ID_CHUNK = 5_000


@dataclass(frozen=True, slots=True)
class SentReminder:
    """What a sweep queued, kept small: the first sweep of a big call queues 100,000 of them."""

    pk: int
    kind: str
    offset_hours: int
    email: str
    subject: str


def new_sweep_id() -> str:
    return uuid.uuid4().hex


def _in_batches(recipients: QuerySet, size: int = BATCH_SIZE, pk=lambda row: row.pk) -> Iterator[list]:
    """The queryset (in pk order) `size` rows at a time, each batch read after the previous one is handled.

    Keyset pagination: a handled batch leaves the queryset (its ledger rows now exist), so an
    offset would skip rows; starting after the last pk seen does not.
    """
    last_pk = 0
    while batch := list(recipients.filter(pk__gt=last_pk)[:size]):
        yield batch
        last_pk = pk(batch[-1])


def send_founder_reminders(now: dt.datetime, sweep_id: str | None = None) -> list[SentReminder]:
    """Remind each owner of a draft in every open call whose next reminder time has come."""
    sweep_id = sweep_id or new_sweep_id()
    sent = []
    for call in open_calls(now).order_by("pk"):
        offset = due_offset(call.founder_reminder_hours, call.closes_at, now)
        if offset is None:
            continue
        # Drafts are read (ids first, ID_CHUNK at a time) without the ledger check, which each
        # chunk makes on its own: a query excluding reminded drafts grows with the ledger as the
        # sweep fills it (with the ledger's statistics still those of before the sweep,
        # PostgreSQL compared every draft with every ledger row: 100,000 reminders took 8 minutes,
        # mostly in that query). A sweep with nothing left to send reads ids only.
        drafts = selectors.draft_owners(call)
        for chunk in _in_batches(drafts.values_list("pk", "owner_id"), ID_CHUNK, pk=itemgetter(0)):
            due = selectors.not_reminded(offset, chunk)
            for start in range(0, len(due), BATCH_SIZE):
                batch = list(drafts.filter(pk__in=due[start : start + BATCH_SIZE]))
                sent += _remind_founders(call, offset, batch, now, sweep_id)
    return sent


def _remind_founders(call, offset, drafts, now, sweep_id) -> list[SentReminder]:
    with transaction.atomic():
        won = _claim(
            ReminderKind.FOUNDER_DEADLINE,
            call,
            offset,
            sweep_id,
            deadline=call.closes_at,
            recipients=[{"application": draft, "recipient_id": draft.owner_id} for draft in drafts],
        )
        by_application = {draft.pk: draft for draft in drafts}
        deadline = _PerLanguage(lambda: mails.deadline_values(call, call.closes_at, now))
        queued = []
        for reminder in won:
            draft = by_application[reminder.application_id]
            draft.call = call  # the completeness check reads the call's eligible countries
            owner = draft.owner
            with translation.override(owner.language):
                # The placeholders as text in the founder's language: section titles and field names too.
                values = {**deadline[owner.language], **mails.founder_values(draft)}
            queued.append(
                {
                    "kind": mails.FOUNDER_KIND,
                    "to": owner.email,
                    "language": owner.language,
                    "recipient": owner,
                    "dedupe_key": _dedupe_key(reminder),
                    "context": {"user": owner, "call": call, "application": draft, **values},
                }
            )
        return _attach_messages(won, queued)


def send_reviewer_reminders(now: dt.datetime, sweep_id: str | None = None) -> list[SentReminder]:
    """One e-mail per reviewer with unsubmitted assignments, at each offset before the review deadline."""
    sweep_id = sweep_id or new_sweep_id()
    sent = []
    for call in calls_with_reviews_open(now).order_by("pk"):
        offset = due_offset(call.reviewer_reminder_hours, call.review_deadline, now)
        if offset is None:
            continue
        for batch in _in_batches(selectors.reviewers_to_remind(call, offset)):
            sent += _remind_reviewers(call, offset, batch, now, sweep_id)
    return sent


def _remind_reviewers(call, offset, reviewers, now, sweep_id) -> list[SentReminder]:
    with transaction.atomic():
        won = _claim(
            ReminderKind.REVIEWER_DEADLINE,
            call,
            offset,
            sweep_id,
            deadline=call.review_deadline,
            recipients=[{"recipient": reviewer} for reviewer in reviewers],
        )
        if not won:
            return []
        pending = selectors.pending_assignments(call, [r.recipient_id for r in won], limit=mails.LISTED_ASSIGNMENTS)
        by_id = {reviewer.pk: reviewer for reviewer in reviewers}
        admin_url = mails.reviews_admin_url()
        deadline = _PerLanguage(lambda: mails.deadline_values(call, call.review_deadline, now))
        queued = []
        for reminder in won:
            reviewer = by_id[reminder.recipient_id]
            listed, total = pending.get(reviewer.pk, ([], 0))
            with translation.override(reviewer.language):
                values = {**deadline[reviewer.language], **mails.reviewer_values(listed, total), "url": admin_url}
            queued.append(
                {
                    "kind": mails.REVIEWER_KIND,
                    "to": reviewer.email,
                    "language": reviewer.language,
                    "recipient": reviewer,
                    "dedupe_key": _dedupe_key(reminder),
                    "context": {"user": reviewer, "call": call, **values},
                }
            )
        return _attach_messages(won, queued)


class _PerLanguage(dict):
    """Values that depend only on the language, computed once per language (under its override)."""

    def __init__(self, compute):
        super().__init__()
        self._compute = compute

    def __missing__(self, language):
        self[language] = value = self._compute()
        return value


def _claim(kind: str, call: Call, offset: int, sweep_id: str, *, deadline, recipients: list[dict]) -> list[Reminder]:
    """Insert a ledger row per recipient (the fields that name them); return those this sweep inserted.

    The others existed already: another sweep sends them, or has.
    """
    if not recipients:
        return []
    due_at = deadline - dt.timedelta(hours=offset)
    rows = [
        Reminder(kind=kind, call=call, offset_hours=offset, deadline=deadline, due_at=due_at, sweep=sweep_id, **who)
        for who in recipients
    ]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return list(
        Reminder.objects.filter(
            sweep=sweep_id, call=call, kind=kind, recipient_id__in=[row.recipient_id for row in rows]
        )
        .select_related("recipient")
        .order_by("pk")
    )


def _attach_messages(reminders: list[Reminder], mails: list[dict]) -> list[SentReminder]:
    if not reminders:
        return []
    queued = queue_mails(mails)
    # One UPDATE joining on the dedupe key (unique, indexed): bulk_update's CASE is slow at 500 rows.
    key = Concat(Value(DEDUPE_PREFIX), Cast(OuterRef("pk"), CharField()))
    Reminder.objects.filter(pk__in=[r.pk for r in reminders]).update(
        message=Subquery(OutboxMessage.objects.filter(dedupe_key=key).values("pk")[:1])
    )
    return [
        SentReminder(r.pk, r.kind, r.offset_hours, r.recipient.email, queued[_dedupe_key(r)].subject) for r in reminders
    ]


DEDUPE_PREFIX = "reminder:"


def _dedupe_key(reminder: Reminder) -> str:
    return f"{DEDUPE_PREFIX}{reminder.pk}"


def record_sweep(*, duration_seconds: float, name: str = SWEEP, now=None) -> None:
    """Note that beat's sweep completed (read by /healthz and the metrics)."""
    SweepRecord.objects.update_or_create(
        name=name, defaults={"completed_at": now or timezone.now(), "duration_seconds": duration_seconds}
    )
