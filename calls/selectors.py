"""Reads on calls."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from calls.models import Call

# What a call's card shows (and its state needs): not the description, rubric or reminder settings.
CARD_FIELDS = (
    *("title", "slug", "summary", "location", "time_zone"),
    *("opens_at", "closes_at", "review_deadline", "decided_at"),
)


def public_calls(now=None) -> tuple[list[Call], list[Call]]:
    """Calls to show on the home page: (open or upcoming, soonest deadline first; archive)."""
    now = now or timezone.now()
    calls = Call.objects.only(*CARD_FIELDS).order_by("closes_at")
    current = [c for c in calls if c.closes_at > now]
    archive = sorted((c for c in calls if c.closes_at <= now), key=lambda c: c.closes_at, reverse=True)
    return current, archive


def call_by_slug(slug: str) -> Call:
    return get_object_or_404(Call.objects.prefetch_related("partners", "criteria"), slug=slug)


def open_calls(now=None) -> QuerySet[Call]:
    now = now or timezone.now()
    return Call.objects.filter(Q(opens_at__lte=now) & Q(closes_at__gt=now))
