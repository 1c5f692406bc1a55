"""Reads for booking: an invitation's booking, the free slots, and whether the founders may book
or move now (and if not, why, in a sentence for the page)."""

import datetime as dt

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.timefmt import deadline_text
from calls import phases
from interviews.models import Invitation, Slot

# Founders book and move until this long before the interview: the panel plans its day.
CHANGE_CUTOFF = dt.timedelta(hours=24)


def invitation_of(application) -> Invitation | None:
    """The application's invitation with its booking and slot (one query), or None."""
    return Invitation.objects.select_related("call", "booking__slot").filter(application_id=application.pk).first()


def current_booking(invitation):
    return getattr(invitation, "booking", None)


def free_slots(call, *, now=None) -> list[Slot]:
    """Slots of the call nobody booked that start far enough ahead to be booked (one query)."""
    now = now or timezone.now()
    return list(
        Slot.objects.filter(call=call, booking__isnull=True, starts_at__gte=now + CHANGE_CUTOFF).order_by(
            "starts_at", "pk"
        )
    )


def why_not(invitation, *, now=None) -> str:
    """Why the founders cannot book or move now, or "" when they can."""
    now = now or timezone.now()
    call = invitation.call
    if invitation.excluded:
        # The recorded reason is the organisers' note, not written for the founders.
        return _("This interview invitation is closed. Write to the organisers if you have questions.")
    if not phases.interviewing(call):
        return _("Interviews are over for this call: booking is closed.")
    if not phases.interview_booking_open(call, now=now):
        return _("Booking closed on %(when)s.") % {
            "when": deadline_text(call.interview_booking_closes_at, call.time_zone)
        }
    booking = current_booking(invitation)
    if booking is not None and booking.slot.starts_at - now < CHANGE_CUTOFF:
        return _(
            "Your interview starts in less than 24 hours: it can no longer be moved. "
            "If you cannot make it, write to the organisers."
        )
    return ""


def panel_slots(user) -> list[Slot]:
    """The slots a panel member sits on, from a week ago on, with what their feed shows (3 queries)."""
    since = timezone.now() - dt.timedelta(days=7)
    return list(
        Slot.objects.filter(panel=user, starts_at__gte=since)
        .select_related("call", "booking__invitation__application")
        .prefetch_related(Prefetch("panel"))
        .order_by("starts_at", "pk")
    )
