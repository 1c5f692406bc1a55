"""Reads on calls."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from calls import phases
from calls.models import Call

# The phase of a call and the rules guards ask (calls.phases), read from here like any other read.
from calls.phases import (  # noqa: F401
    Phase,
    applications_closed,
    call_phase,
    decisions_published,
    is_open,
    is_upcoming,
    offers_sent,
    review_deadline_passed,
    reviews_closed,
    shortlist_locked,
)

# What a call's card shows (and its state needs): not the description, rubric or reminder settings.
CARD_FIELDS = (
    *("title", "slug", "summary", "location", "time_zone"),
    *("opens_at", "closes_at", "review_deadline", "shortlist_locked_at", "offers_sent_at", "decided_at"),
)


def public_calls(now=None) -> tuple[list[Call], list[Call]]:
    """Calls to show on the home page: (open or upcoming, soonest deadline first; archive)."""
    now = now or timezone.now()
    calls = Call.objects.only(*CARD_FIELDS).order_by("closes_at")
    current = [c for c in calls if not applications_closed(c, now=now)]
    archive = sorted((c for c in calls if applications_closed(c, now=now)), key=lambda c: c.closes_at, reverse=True)
    return current, archive


def call_by_slug(slug: str) -> Call:
    return get_object_or_404(Call.objects.prefetch_related("partners", "criteria"), slug=slug)


def open_calls(now=None) -> QuerySet[Call]:
    return Call.objects.filter(phases.open_q(now))


def calls_with_reviews_open(now=None) -> QuerySet[Call]:
    """Opened calls whose review deadline has not passed: founders' and reviewers' reminders."""
    return Call.objects.filter(phases.reviews_open_q(now))


def calls_due_for_the_automatic_shortlist(now=None) -> QuerySet[Call]:
    """Past their review deadline, decisions not published yet (the sweep's automatic run)."""
    return Call.objects.filter(phases.review_deadline_passed_q(now) & phases.not_decided_q(now))


def admin_call_list() -> list[tuple[Call, Phase]]:
    """The calls on the organisers' admin home, newest deadline first, each with its phase."""
    calls = Call.objects.only(*CARD_FIELDS).order_by("-closes_at")
    return [(call, call_phase(call)) for call in calls]
