"""Compute, store and lock the shortlist of a call.

A run scores every submitted application under the three methods (cohorts.shortlist.scores: in PostgreSQL
on PostgreSQL), ranks them in memory (cohorts.shortlist.ranking) and stores a snapshot: every submitted
application's scores and ranks under the three methods, packed in one ShortlistRanking (see
cohorts.shortlist.snapshot), and a ShortlistEntry row for each application of the shortlist, the waitlist and
the exclusions. Locking a run stores the rows of the other applications too. Nothing changes for
founders until a run is locked.
"""

import datetime as dt
import hashlib
import math
from array import array
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.roles import ORGANISERS
from applications.models import SUBMITTED_STATUSES, Application, Status, StatusChange
from calls.models import Call
from calls.phases import interviews_enabled
from calls.selectors import applications_closed, calls_due_for_the_automatic_shortlist, review_deadline_passed
from cohorts import selectors
from cohorts.models import (
    DecisionKind,
    RunTrigger,
    Section,
    ShortlistOverride,
    ShortlistRun,
)
from cohorts.shortlist import mail as shortlist_mail
from cohorts.shortlist import ranking, scores, snapshot, storage
from interviews import services as interview_services
from mail.services import queue_mails


class ShortlistError(Exception):
    """A shortlist operation refused, with a message for organisers."""


class ShortlistLocked(ShortlistError):
    pass


class StaleRun(ShortlistError):
    pass


class ProvisionalRun(ShortlistError):
    pass


class CallStillOpen(ShortlistError):
    pass


class MissingReviews(ShortlistError):
    """Locking before the review deadline or with reviews missing needs the organiser's tick."""


@dataclass
class Inputs:
    field: ranking.Field
    pinned: dict[int, str]
    excluded: dict[int, str]
    digest: str


def shortlist_size(call: Call) -> int:
    """How many startups the review shortlist holds: the cohort, or with the interview stage the
    startups invited to interview (its lock invites them; the cohort comes from the final ranking)."""
    return call.interview_size if interviews_enabled(call) else call.cohort_size


def load_inputs(call: Call) -> Inputs:
    """Everything a run depends on, with a digest to tell whether it changed.

    The digest covers what decides the outcome: the call's sizes, the submitted applications in
    submission order, each one's number of counted reviews and scores under the three methods
    (to the last bit), pins and exclusions. A change in the reviews that leaves every score as
    it was changes no rank either.
    """
    field = scores.load_field(call)
    digest = hashlib.sha256(f"{call.pk}|{shortlist_size(call)}|{call.min_reviews}".encode())
    digest.update(array("q", field.ids).tobytes())
    digest.update(array("q", field.submission).tobytes())
    digest.update(array("q", field.counts).tobytes())
    for method in ranking.METHODS:
        digest.update(array("d", [math.nan if x is None else x for x in field.scores[method]]).tobytes())

    pinned, excluded = {}, {}
    overrides = (
        ShortlistOverride.objects.filter(application__call=call, application__status__in=SUBMITTED_STATUSES)
        .order_by("application_id")
        .values_list("application_id", "kind", "reason")
    )
    for application_id, kind, reason in overrides:
        (pinned if kind == DecisionKind.PIN else excluded)[application_id] = reason
        digest.update(f"o{application_id}|{kind}".encode())
    return Inputs(field, pinned, excluded, digest.hexdigest())


def run_shortlist(call: Call, *, trigger: str, by=None, method: str | None = None) -> ShortlistRun:
    """Compute and store a new snapshot for the call, and tell organisers it is ready.

    Refused once the call's shortlist is locked. A run made while the call is still open is
    provisional: no e-mail, and it can never be locked. Runs of one call are serialised on the
    call row.
    """
    method = method or call.shortlist_method
    if method not in ranking.METHODS:
        raise ShortlistError(_("Unknown ranking method: %(method)s.") % {"method": method})
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if selectors.locked_run(call) is not None:
            raise ShortlistLocked(_("The shortlist of this call is locked; it cannot be run again."))
        provisional = not applications_closed(call)
        run, counts = _compute_and_store(call, method=method, trigger=trigger, by=by, provisional=provisional)
        if not provisional:
            _notify_organisers(run, counts)
    return run


def run_due_shortlists(now: dt.datetime) -> list[ShortlistRun]:
    """The automatic run, once per call, when its review deadline has passed (called by the sweep)."""
    automatic = ShortlistRun.objects.filter(call=OuterRef("pk"), trigger=RunTrigger.BEAT)
    locked = ShortlistRun.objects.filter(call=OuterRef("pk"), locked_at__isnull=False)
    due = calls_due_for_the_automatic_shortlist(now).exclude(Exists(automatic)).exclude(Exists(locked)).order_by("pk")
    runs = []
    for call in due:
        with transaction.atomic():
            call = Call.objects.select_for_update().get(pk=call.pk)
            # Checked again under the lock: another sweep may have run it meanwhile.
            if ShortlistRun.objects.filter(Q(trigger=RunTrigger.BEAT) | Q(locked_at__isnull=False), call=call).exists():
                continue
            run, counts = _compute_and_store(call, method=call.shortlist_method, trigger=RunTrigger.BEAT, by=None)
            _notify_organisers(run, counts)
        runs.append(run)
    return runs


def _compute_and_store(
    call: Call, *, method: str, trigger: str, by, provisional: bool = False
) -> tuple[ShortlistRun, dict[str, int]]:
    """The new run, and how many applications each of its sections holds."""
    with ranking.paused_gc():
        inputs = load_inputs(call)
        placed = ranking.place_field(
            inputs.field,
            method,
            cohort_size=shortlist_size(call),
            min_reviews=call.min_reviews,
            pinned=set(inputs.pinned),
            excluded=set(inputs.excluded),
        )
    run = ShortlistRun.objects.create(
        call=call,
        method=method,
        trigger=trigger,
        created_by=by,
        provisional=provisional,
        parameters={
            "cohort_size": shortlist_size(call),
            "min_reviews": call.min_reviews,
            "review_deadline": call.review_deadline.isoformat(),
            "applications": len(inputs.field.ids),
            "pinned": {str(pk): reason for pk, reason in inputs.pinned.items()},
            "excluded": {str(pk): reason for pk, reason in inputs.excluded.items()},
            "input_digest": inputs.digest,
        },
    )
    columns = storage.run_columns(inputs.field, placed, method)
    storage.insert_ranking(run, snapshot.pack(columns))
    paged = set(snapshot.PAGED)
    rows = zip(*(columns[name] for name in storage.ENTRY_COLUMNS), strict=True)
    storage.insert_entries(run, (row for row in rows if row[1] not in paged))
    return run, placed.counts


def organisers():
    """Active organisers and superusers with an e-mail address, by id. The two kinds are looked up
    apart: one query with an OR across the group join read every user of a large call."""
    ids = set(User.objects.filter(groups__name=ORGANISERS).values_list("pk", flat=True))
    ids.update(User.objects.filter(is_superuser=True).values_list("pk", flat=True))
    return User.objects.filter(pk__in=ids, is_active=True).exclude(email="").order_by("pk")


def _notify_organisers(run: ShortlistRun, counts: dict[str, int]) -> None:
    """One e-mail per organiser per run, queued with the run (rolled back with it)."""
    facts = shortlist_mail.run_facts(run, counts)
    by_language = {}
    messages = []
    for user in organisers():
        if user.language not in by_language:
            with translation.override(user.language):
                by_language[user.language] = shortlist_mail.shortlist_values(facts)
        messages.append(
            {
                "kind": shortlist_mail.KIND,
                "to": user.email,
                "language": user.language,
                "recipient": user,
                "dedupe_key": f"shortlist-ready:{run.pk}:{user.pk}",
                "context": {"call": run.call, "user": user, **by_language[user.language]},
            }
        )
    queue_mails(messages)


# The status each section gives its applications when a run is locked.
STATUS_FOR_SECTIONS = {
    Status.SHORTLISTED: (Section.SHORTLIST,),
    Status.WAITLISTED: (Section.WAITLIST,),
    Status.REJECTED: (Section.RANKED, Section.NOT_ENOUGH_REVIEWS, Section.EXCLUDED),
}


def lock_check(run: ShortlistRun, *, now=None) -> dict:
    """What locking this run now would need: whether it may be locked at all (`refusal`, the
    reason it may not), and what the organiser must acknowledge: the review deadline not passed
    yet, and the reviews still missing for the shortlisted and waitlisted applications (active
    assignments without a submitted review)."""
    call = run.call
    refusal = ""
    if run.provisional:
        refusal = str(
            _(
                "This run is provisional: it was computed before the application deadline. "
                "Run the shortlist again now that applications are closed, then lock the new run."
            )
        )
    elif run.is_stale:
        refusal = str(
            _(
                "This run is stale: the rubric's weights changed after it was computed, so it ranks "
                "scores the reviews no longer have. Run the shortlist again, then lock the new run."
            )
        )
    elif not applications_closed(call, now=now):
        refusal = str(
            _("The application deadline has not passed: the shortlist cannot be locked while founders can still apply.")
        )
    missing = selectors.missing_reviews(run)
    total = sum(row["missing"] for row in missing)
    deadline_passed = review_deadline_passed(call, now=now)
    return {
        "refusal": refusal,
        "review_deadline_passed": deadline_passed,
        "missing": missing,
        "missing_reviews": total,
        "needs_acknowledgement": not deadline_passed or total > 0,
    }


def missing_reviews_message(check: dict) -> str:
    parts = []
    if not check["review_deadline_passed"]:
        parts.append(str(_("The review deadline has not passed yet.")))
    if check["missing_reviews"]:
        parts.append(
            ngettext(
                "%(count)d review is still missing for %(apps)d shortlisted or waitlisted startup.",
                "%(count)d reviews are still missing for %(apps)d shortlisted or waitlisted startups.",
                check["missing_reviews"],
            )
            % {"count": check["missing_reviews"], "apps": len(check["missing"])}
        )
    parts.append(str(_("Tick “Lock anyway” to lock the shortlist all the same.")))
    return " ".join(parts)


def lock_run(run: ShortlistRun, *, by, acknowledge_missing_reviews: bool = False) -> ShortlistRun:
    """Make a run the call's final shortlist and set every ranked application's status; with the
    interview stage, its shortlist is invited to interview (interviews.services.invite) and the
    cohort comes later from the final ranking (cohorts.shortlist.final).

    All or nothing, in one transaction. Only the latest run can be locked, only once the
    application deadline has passed, never a provisional run, and only if its inputs
    (applications, counted reviews, pins and exclusions) have not changed since. Before the
    review deadline or with reviews missing, only with `acknowledge_missing_reviews`; what was
    acknowledged is kept with the run and in each application's history.
    """
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=run.call_id)
        run = ShortlistRun.objects.select_related("call").get(pk=run.pk)
        if selectors.locked_run(call) is not None:
            raise ShortlistLocked(_("The shortlist of this call is already locked."))
        check = lock_check(run)
        if run.provisional:
            raise ProvisionalRun(check["refusal"])
        if run.is_stale:
            raise StaleRun(check["refusal"])
        if check["refusal"]:
            raise CallStillOpen(check["refusal"])
        latest = selectors.latest_run(call)
        if latest.pk != run.pk:
            raise StaleRun(_("A newer run of this shortlist exists: lock the latest one."))
        if load_inputs(call).digest != run.parameters.get("input_digest"):
            raise StaleRun(
                _("Reviews, applications, pins or exclusions changed since this run. Run it again, then lock it.")
            )
        if check["needs_acknowledgement"] and not acknowledge_missing_reviews:
            raise MissingReviews(missing_reviews_message(check))
        run.locked_at = timezone.now()
        run.locked_by = by
        note = f"Shortlist run #{run.pk} locked"
        if check["needs_acknowledgement"]:
            run.lock_acknowledgement = {
                "review_deadline_passed": check["review_deadline_passed"],
                "missing_reviews": check["missing_reviews"],
                "applications": [
                    {"id": row["application"].pk, "startup": row["application"].startup_name,
                     "section": row["section"], "missing": row["missing"]}
                    for row in check["missing"]
                ],
            }  # fmt: skip
            note += (
                f" anyway: {check['missing_reviews']} review(s) missing"
                + ("" if check["review_deadline_passed"] else ", before the review deadline")
                + " (acknowledged)"
            )
        run.save(update_fields=["locked_at", "locked_by", "lock_acknowledgement"])
        call.shortlist_locked_at = run.locked_at
        call.save(update_fields=["shortlist_locked_at", "updated_at"])
        storage.store_all_rows(run)
        _set_statuses(run, call, by=by, note=note)
        if interviews_enabled(call):
            interview_services.invite(call, selectors.section_in_order(run, Section.SHORTLIST), by=by)
    return run


def _set_statuses(run: ShortlistRun, call: Call, *, by, note: str) -> None:
    """What change_status does for every application of the run, in seven statements for any
    number: the same new status, updated_at and history row (who, when, from, to, note)."""
    submitted = Application.objects.filter(call=call, status=Status.SUBMITTED)
    # Held like change_status's callers hold them: no status changes between history and update.
    list(submitted.select_for_update().order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    history = connection.ops.quote_name(StatusChange._meta.db_table)
    applications = connection.ops.quote_name(Application._meta.db_table)
    values = [by.pk if by else None, connection.ops.adapt_datetimefield_value(now), note[:300]]
    with connection.cursor() as cursor:
        for status, sections in STATUS_FOR_SECTIONS.items():
            chosen = submitted.filter(pk__in=run.entries.filter(section__in=sections).values("application_id"))
            ids_sql, ids_params = chosen.values("pk").query.sql_with_params()
            # Only table names and ORM-generated SQL are interpolated; values are parameters.
            cursor.execute(
                f"""
                INSERT INTO {history} (application_id, from_status, to_status, changed_by_id, changed_at, note)
                SELECT id, status, %s, %s, %s, %s FROM {applications} WHERE id IN ({ids_sql})
                """,  # noqa: S608
                [status, *values, *ids_params],
            )
            chosen.update(status=status, updated_at=now)


def set_override(application: Application, *, kind: str, reason: str, by=None) -> ShortlistOverride:
    """Pin an application into the shortlist or exclude it, before the shortlist is locked."""
    check_override(application, kind=kind, reason=reason)
    override, _created = ShortlistOverride.objects.update_or_create(
        application=application, defaults={"kind": kind, "reason": reason.strip(), "created_by": by}
    )
    return override


def check_override(application: Application, *, kind: str, reason: str) -> None:
    """The rules of pins and exclusions; raises ShortlistError with the reason they are refused."""
    if not reason or not reason.strip():
        raise ShortlistError(_("Say why: the reason is kept with the shortlist."))
    if application.status not in SUBMITTED_STATUSES:
        raise ShortlistError(_("Only submitted applications can be pinned or excluded."))
    if selectors.locked_run(application.call) is not None:
        raise ShortlistLocked(_("The shortlist of this call is locked; pins and exclusions can no longer change."))
    if kind == DecisionKind.PIN:
        pins = ShortlistOverride.objects.filter(application__call=application.call, kind=DecisionKind.PIN).exclude(
            application=application
        )
        if pins.count() >= application.call.cohort_size:
            raise ShortlistError(
                _("The cohort has %(size)d places and %(size)d applications are already pinned.")
                % {"size": application.call.cohort_size}
            )
