"""When a reminder is due. Pure functions of the deadline, the offsets and the clock."""

import datetime as dt


def clean_offsets(value) -> list[int]:
    """The positive whole hours of a call's reminder setting, latest first; anything else is ignored."""
    hours = set()
    for item in value if isinstance(value, list | tuple) else []:
        if isinstance(item, bool) or (isinstance(item, float) and not item.is_integer()):
            continue
        try:
            number = int(item.strip() if isinstance(item, str) else item)
        except (TypeError, ValueError):
            continue
        if number > 0:
            hours.add(number)
    return sorted(hours, reverse=True)


def due_offset(offsets, deadline: dt.datetime, now: dt.datetime) -> int | None:
    """The reminder to send now: the offset closest to the deadline whose time has come.

    An offset is due from `deadline - offset` (inclusive) until the deadline (exclusive).
    When several are due at once (a draft started late, sweeps stopped for a while) only the
    most recent counts; the earlier ones are skipped for good, the later ones still follow.
    Offsets are measured from the deadline as it is now, so extending it moves them.
    """
    if now >= deadline:
        return None
    due = [hours for hours in clean_offsets(offsets) if deadline - dt.timedelta(hours=hours) <= now]
    return min(due) if due else None
