"""Reminder schedules as organisers think of them: "7 days, 2 days and 3 hours before the deadline".

The call stores whole hours ([168, 48, 3]; the reminder sweeps read them); organisers edit rows of
an amount and a unit. This module converts between the two, refuses what cannot be meant, and
says a schedule as a sentence. calls.widgets draws the rows.
"""

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from calls.validation import MAX_REMINDER_HOURS, MAX_REMINDERS

HOURS = "hours"
DAYS = "days"
UNIT_HOURS = {HOURS: 1, DAYS: 24}
UNIT_CHOICES = [(DAYS, gettext_lazy("days")), (HOURS, gettext_lazy("hours"))]

# What the schedule counts back from, as the sentence ends.
APPLICATION_DEADLINE = "application"
REVIEW_DEADLINE = "review"
DEADLINE_WORDS = {
    APPLICATION_DEADLINE: gettext_lazy("%(offsets)s before the application deadline."),
    REVIEW_DEADLINE: gettext_lazy("%(offsets)s before the review deadline."),
}
NO_REMINDER = gettext_lazy("No reminder.")
LIMITS = format_lazy(
    gettext_lazy("Up to {count} reminders, each from 1 hour to {days} days before the deadline."),
    count=MAX_REMINDERS,
    days=MAX_REMINDER_HOURS // 24,
)


def to_rows(hours) -> list[tuple[int, str]]:
    """[168, 48, 3] -> [(7, "days"), (2, "days"), (3, "hours")]: whole days read as days."""
    return [(h // 24, DAYS) if h % 24 == 0 else (h, HOURS) for h in hours or []]


def offset_text(amount: int, unit: str) -> str:
    if unit == DAYS:
        return ngettext("%(n)d day", "%(n)d days", amount) % {"n": amount}
    return ngettext("%(n)d hour", "%(n)d hours", amount) % {"n": amount}


def from_rows(rows) -> list[int]:
    """[("7", "days"), ("", "hours"), ("3", "hours")] -> [168, 3], the earliest reminder first.

    Empty rows are skipped; anything else that is not a whole, positive amount within the limits,
    or that falls at the same time as another row, is a ValidationError naming the row."""
    hours: dict[int, str] = {}
    errors = []
    for position, (raw_amount, unit) in enumerate(rows, start=1):
        raw_amount = str(raw_amount if raw_amount is not None else "").strip()
        if not raw_amount:
            continue
        if unit not in UNIT_HOURS:
            errors.append(_("Reminder %(n)d: choose days or hours.") % {"n": position})
            continue
        try:
            amount = int(raw_amount)
        except ValueError:
            errors.append(
                _("Reminder %(n)d: “%(value)s” is not a whole number.") % {"n": position, "value": raw_amount}
            )
            continue
        total = amount * UNIT_HOURS[unit]
        if amount < 1 or total > MAX_REMINDER_HOURS:
            errors.append(
                _("Reminder %(n)d: give from 1 hour to %(days)d days before the deadline.")
                % {"n": position, "days": MAX_REMINDER_HOURS // 24}
            )
            continue
        if total in hours:
            errors.append(
                _("Reminder %(n)d (%(this)s) falls at the same time as %(other)s: remove one of them.")
                % {"n": position, "this": offset_text(amount, unit), "other": hours[total]}
            )
            continue
        hours[total] = offset_text(amount, unit)
    if not errors and len(hours) > MAX_REMINDERS:
        errors.append(_("At most %(max)d reminders.") % {"max": MAX_REMINDERS})
    if errors:
        raise ValidationError(errors, code="invalid_reminder_schedule")
    return sorted(hours, reverse=True)


def join(parts: list[str]) -> str:
    """ "a", "a and b", "a, b and c" in the active language."""
    if len(parts) < 2:
        return "".join(parts)
    return _("%(list)s and %(last)s") % {"list": ", ".join(parts[:-1]), "last": parts[-1]}


def sentence(hours, deadline: str = APPLICATION_DEADLINE) -> str:
    """[168, 48, 3] -> "7 days, 2 days and 3 hours before the application deadline."."""
    if not hours:
        return str(NO_REMINDER)
    offsets = join([offset_text(amount, unit) for amount, unit in to_rows(sorted(hours, reverse=True))])
    return str(DEADLINE_WORDS[deadline]) % {"offsets": offsets}
