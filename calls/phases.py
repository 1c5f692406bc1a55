"""The phases of a call, and the named rules every guard asks instead of comparing dates itself.

A call goes through these phases in order:

    upcoming → open → under review → shortlist locked → offers out → decided

or, for a call with the interview stage (`interview_size` > 0, see `interviews_enabled`):

    upcoming → open → under review → interviews → offers out → decided

The first three follow from its dates (applications open, application deadline). The others
follow from what the organisers did: they are recorded on the call by the higher apps when it
happens (cohorts sets `shortlist_locked_at` when a shortlist is locked, `final_ranking_locked_at`
when the final ranking after the interviews is locked, `offers_sent_at` with the first offer and
`decided_at` when the decision e-mail goes out), so this module, at the bottom of the layers, never
asks them. With the interview stage, locking the review shortlist invites startups to interview
instead of making the cohort: the call is in INTERVIEWS until the first offer, and offers wait for
the final ranking's lock (`ready_for_offers`).

`call_phase(call)` is the one answer to "which phase is this call in"; the predicates below are
the rules guards and pages use (pretalx-style: `is_open(call)`, `applications_closed(call)`).
Nothing else compares a call's dates with the clock: querysets use the `*_q` forms.
"""

import datetime as dt
import zoneinfo

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("Not open yet")
    OPEN = "open", _("Open for applications")
    UNDER_REVIEW = "under_review", _("Under review")
    SHORTLIST_LOCKED = "shortlist_locked", _("Shortlist locked")
    INTERVIEWS = "interviews", _("Interviews")
    OFFERS_OUT = "offers_out", _("Offers out")
    DECIDED = "decided", _("Decided")


# In order: a call only ever moves forward through them.
PHASE_ORDER = tuple(Phase)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


# --- Dates -------------------------------------------------------------------------------------


def is_upcoming(call, *, now=None) -> bool:
    """Applications are not accepted yet."""
    return _now(now) < call.opens_at


def is_open(call, *, now=None) -> bool:
    """Applications are accepted: from `opens_at` up to, not including, the application deadline,
    and never once the selection has started (a deadline moved later after the lock reopens nothing)."""
    return call.opens_at <= _now(now) < call.closes_at and not _selection_started(call)


def applications_closed(call, *, now=None) -> bool:
    """The application deadline has passed: the set of applications is final."""
    return _now(now) >= call.closes_at


def _selection_started(call) -> bool:
    return call.shortlist_locked_at is not None or call.offers_sent_at is not None or call.decided_at is not None


def review_deadline_passed(call, *, now=None) -> bool:
    return _now(now) >= call.review_deadline


def reviews_closed(call, *, now=None) -> bool:
    """Reviews no longer change: the review deadline has passed, or the shortlist is locked (a
    review written after the lock could not change the decision anyway)."""
    return review_deadline_passed(call, now=now) or shortlist_locked(call)


# --- The organisers' recorded steps ------------------------------------------------------------


def shortlist_locked(call) -> bool:
    return call.shortlist_locked_at is not None


def interviews_enabled(call) -> bool:
    """The call has an interview stage between the review shortlist and the offers."""
    return bool(call.interview_size)


def interviewing(call) -> bool:
    """The review shortlist is locked and its top startups are invited: the interview stage runs
    until the final ranking is locked."""
    return interviews_enabled(call) and shortlist_locked(call) and not final_ranking_locked(call)


def final_ranking_locked(call) -> bool:
    return call.final_ranking_locked_at is not None


def ready_for_offers(call) -> bool:
    """Offers can go out: the shortlist they come from is locked (with the interview stage, the
    final ranking; without it, the review shortlist)."""
    if interviews_enabled(call):
        return final_ranking_locked(call)
    return shortlist_locked(call)


def interview_booking_open(call, *, now=None) -> bool:
    """Invited founders may book or move a slot: the stage runs and booking has not closed."""
    closes = call.interview_booking_closes_at
    return interviewing(call) and (closes is None or _now(now) < closes)


def interview_scoring_closes_at(call, last_interview_ends_at: dt.datetime | None) -> dt.datetime | None:
    """When panel scores lock: `interview_scoring_closes_after_hours` after the end of the last
    interview day, the day ending at midnight in the call's zone. None without any interview."""
    if last_interview_ends_at is None:
        return None
    zone = zoneinfo.ZoneInfo(call.time_zone)
    last_day = last_interview_ends_at.astimezone(zone).date()
    day_ends = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return day_ends + dt.timedelta(hours=call.interview_scoring_closes_after_hours)


def interview_scoring_closed(call, last_interview_ends_at: dt.datetime | None, *, now=None) -> bool:
    """Panel scores no longer change (the final ranking's lock needs it, or the organiser's tick)."""
    if final_ranking_locked(call):
        return True
    closes = interview_scoring_closes_at(call, last_interview_ends_at)
    return closes is not None and _now(now) >= closes


def offers_sent(call) -> bool:
    return call.offers_sent_at is not None


def decisions_published(call, *, now=None) -> bool:
    """The decision e-mail went out (or, for a call imported with its history, its decided date is past)."""
    return call.decided_at is not None and call.decided_at <= _now(now)


# --- The phase ---------------------------------------------------------------------------------


def call_phase(call, *, now=None) -> Phase:
    """Which phase the call is in now (or at `now`)."""
    now = _now(now)
    if decisions_published(call, now=now):
        return Phase.DECIDED
    if offers_sent(call):
        return Phase.OFFERS_OUT
    if shortlist_locked(call):
        return Phase.INTERVIEWS if interviews_enabled(call) else Phase.SHORTLIST_LOCKED
    if is_upcoming(call, now=now):
        return Phase.UPCOMING
    if is_open(call, now=now):
        return Phase.OPEN
    return Phase.UNDER_REVIEW


def next_step(call, *, now=None) -> str:
    """What the organisers do next, in a sentence for the call's admin page."""
    phase = call_phase(call, now=now)
    if phase == Phase.UNDER_REVIEW and interviews_enabled(call):
        return str(NEXT_STEP_UNDER_REVIEW_WITH_INTERVIEWS)
    if phase == Phase.INTERVIEWS and final_ranking_locked(call):
        return str(NEXT_STEP_FINAL_RANKING_LOCKED)
    return str(NEXT_STEP[phase])


NEXT_STEP = {
    Phase.UPCOMING: _("Applications open on the opening date; the rubric and reviewers can be set up now."),
    Phase.OPEN: _(
        "Founders apply until the application deadline. A shortlist run now is provisional: it cannot be locked."
    ),
    Phase.UNDER_REVIEW: _(
        "Reviewers finish their reviews; then run the shortlist and lock it (the confirmation lists missing reviews)."
    ),
    Phase.SHORTLIST_LOCKED: _(
        "The shortlist is locked; founders still see “Under review”. Send the offers from the Offers page."
    ),
    Phase.INTERVIEWS: _(
        "The top startups are invited to interview: they book their slots and the panel scores them. "
        "When scoring has closed, run the final ranking and lock it; founders still see “Invited to interview”."
    ),
    Phase.OFFERS_OUT: _(
        "Offers are out. When the cohort is complete, send the decision e-mail to the unsuccessful applicants."
    ),
    Phase.DECIDED: _("Decisions are published: the cohort is final."),
}

NEXT_STEP_UNDER_REVIEW_WITH_INTERVIEWS = _(
    "Reviewers finish their reviews; then run the shortlist and lock it: locking invites the top startups "
    "to interview (the confirmation lists missing reviews)."
)
NEXT_STEP_FINAL_RANKING_LOCKED = _(
    "The final ranking is locked; founders still see “Under review”. Send the offers from the Offers page."
)


# --- The same rules for querysets of calls ----------------------------------------------------


def open_q(now=None) -> Q:
    now = _now(now)
    not_started = Q(shortlist_locked_at__isnull=True, offers_sent_at__isnull=True, decided_at__isnull=True)
    return Q(opens_at__lte=now, closes_at__gt=now) & not_started


def applications_closed_q(now=None) -> Q:
    return Q(closes_at__lte=_now(now))


def reviews_open_q(now=None) -> Q:
    """Opened, review deadline not passed, shortlist not locked: reminders are still useful."""
    now = _now(now)
    return Q(opens_at__lte=now, review_deadline__gt=now, shortlist_locked_at__isnull=True)


def reviews_closed_q(now=None, *, prefix: str = "") -> Q:
    """reviews_closed, for a queryset of calls or, with `prefix` ("application__call__"), of rows
    that lead to one."""
    return Q(**{f"{prefix}review_deadline__lte": _now(now)}) | Q(**{f"{prefix}shortlist_locked_at__isnull": False})


def review_deadline_passed_q(now=None) -> Q:
    return Q(review_deadline__lte=_now(now))


def not_decided_q(now=None) -> Q:
    return Q(decided_at__isnull=True) | Q(decided_at__gt=_now(now))
