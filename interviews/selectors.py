"""Reads on the interview stage."""

import datetime as dt

from calls import phases
from calls.models import Call
from interviews.models import Slot


def last_interview_ends_at(call: Call) -> dt.datetime | None:
    """When the call's last interview slot ends (booked or not: the panel keeps the whole day).
    A call has tens of slots, read in one query."""
    ends = [
        starts_at + dt.timedelta(minutes=minutes)
        for starts_at, minutes in Slot.objects.filter(call=call).values_list("starts_at", "duration_minutes")
    ]
    return max(ends, default=None)


def scoring_closes_at(call: Call) -> dt.datetime | None:
    """When panel scores lock (calls.phases.interview_scoring_closes_at); None without slots."""
    return phases.interview_scoring_closes_at(call, last_interview_ends_at(call))


def scoring_closed(call: Call, *, now=None) -> bool:
    return phases.interview_scoring_closed(call, last_interview_ends_at(call), now=now)
