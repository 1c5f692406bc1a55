"""Rules a call's configuration must follow, shared by Call.clean() and any form that edits it.

Each helper returns the cleaned value or raises ValidationError with a message in the organiser's
language; Call.clean() applies them all, so the admin, a future widget or a script that calls
full_clean() refuse the same values with the same words.
"""

import functools
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A reminder more than 90 days ahead of a deadline is a typing mistake (hours, not minutes).
MAX_REMINDER_HOURS = 90 * 24
MAX_REMINDERS = 10


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    """The real IANA zone names this system knows, sorted (Europe/Paris, America/New_York ...)."""
    return tuple(sorted(zoneinfo.available_timezones()))


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in time_zone_names()]


def clean_time_zone(value: str) -> str:
    if value not in time_zone_names():
        raise ValidationError(
            _("“%(value)s” is not a time zone. Choose one from the list, such as Europe/Paris."),
            code="invalid_time_zone",
            params={"value": value},
        )
    return value


def clean_reminder_hours(value) -> list[int]:
    """A list of whole hours before a deadline, each from 1 to MAX_REMINDER_HOURS; returned without
    duplicates, the earliest reminder (most hours) first. An empty list sends no reminder."""
    if value in (None, ""):
        return []
    if not isinstance(value, list) or any(isinstance(h, bool) or not isinstance(h, int) for h in value):
        raise ValidationError(
            _("Give whole numbers of hours in brackets, separated by commas, such as [168, 48, 3]."),
            code="invalid_reminder_hours",
        )
    if any(not 1 <= h <= MAX_REMINDER_HOURS for h in value):
        raise ValidationError(
            _("Each reminder is from 1 to %(max)d hours before the deadline."),
            code="reminder_hours_range",
            params={"max": MAX_REMINDER_HOURS},
        )
    hours = sorted(set(value), reverse=True)
    if len(hours) > MAX_REMINDERS:
        raise ValidationError(_("At most %(max)d reminders."), code="too_many_reminders", params={"max": MAX_REMINDERS})
    return hours


def interview_errors(call) -> dict:
    """The interview stage's settings, as {field: message} (empty when they hold or the stage is off)."""
    errors = {}
    weight = call.interview_review_weight
    if weight is not None and not 0 <= weight <= 1:
        errors["interview_review_weight"] = _("Give a share from 0 (interviews only) to 1 (reviews only).")
    if not call.interview_size:
        return errors
    if call.cohort_size and call.interview_size < call.cohort_size:
        errors["interview_size"] = _(
            "Invite at least as many startups as the cohort has places (%(size)d), or 0 for no interviews."
        ) % {"size": call.cohort_size}
    closes = call.interview_booking_closes_at
    if closes is not None:
        if call.review_deadline and closes <= call.review_deadline:
            errors["interview_booking_closes_at"] = _("Interview booking must close after the review deadline.")
        elif call.decided_at and closes >= call.decided_at:
            errors["interview_booking_closes_at"] = _("Interview booking must close before decisions are published.")
    return errors
