"""Writes for booking: an invited startup books a slot or moves its booking.

A slot holds one startup and a startup one slot: the database says so (Booking's two one-to-one
fields). Two founders clicking the same slot at once are put in line by the slot's row lock;
the second finds the slot booked and is told so (SlotTaken). Should a request ever reach the
insert without that lock, the unique constraint still refuses it, with the same answer.

Every booking and move tells the founders by e-mail, each with the .ics of the new time, and
the panels of the slots concerned (interviews.booking.mail).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interviews.booking import mail, selectors
from interviews.models import Booking, Invitation, Slot


class BookingError(Exception):
    """A booking that cannot be made; the message is shown to the founder."""


class SlotTaken(BookingError):
    def __init__(self):
        super().__init__(_("This slot was just taken by another startup. Please pick another one."))


def book(invitation_id: int, slot_id: int, *, by, now=None) -> tuple[Booking, bool]:
    """Book the slot for the invited startup, or move its booking there.

    Returns (booking, changed); booking the slot it already has changes nothing. Raises
    BookingError with the reason when booking is closed or the move comes too late, SlotTaken
    when another startup has the slot.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # The invitation's lock puts co-founders of one startup in line (one booking each time).
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("call", "application")
            .get(pk=invitation_id)
        )
        # Read after the lock, in its own query: a join in the locking query would show the booking
        # as it was before the co-founder ahead in line committed.
        current = Booking.objects.select_related("slot").filter(invitation_id=invitation.pk).first()
        if current is not None:
            invitation.booking = current
        reason = selectors.why_not(invitation, now=now)
        if reason:
            raise BookingError(reason)
        slot = Slot.objects.select_for_update().filter(pk=slot_id, call_id=invitation.call_id).first()
        if slot is None:
            raise BookingError(_("This slot no longer exists. Please pick another one."))
        slot.call = invitation.call
        booking = selectors.current_booking(invitation)
        if booking is not None and booking.slot_id == slot.pk:
            return booking, False
        if slot.starts_at - now < selectors.CHANGE_CUTOFF:
            raise BookingError(_("This slot starts in less than 24 hours: it can no longer be booked."))
        if Booking.objects.filter(slot_id=slot.pk).exists():
            raise SlotTaken
        previous_slot = booking.slot if booking is not None else None
        try:
            with transaction.atomic():
                if booking is None:
                    booking = Booking.objects.create(slot=slot, invitation=invitation, booked_by=by)
                else:
                    booking.slot = slot
                    booking.sequence += 1
                    booking.moved_at = now
                    booking.save(update_fields=["slot", "sequence", "moved_at"])
        except IntegrityError as error:
            raise SlotTaken from error
        booking.slot = slot
        booking.invitation = invitation
        mail.tell_booking(booking, previous_slot=previous_slot)
    return booking, True


def slot_changed(slot_id: int, previous: Slot, *, now=None) -> Booking | None:
    """An organiser changed a booked slot's time or place: the booking's event moves with it (SEQUENCE
    bumped) and everyone concerned is told, as for a founder's move. previous: the slot as it was."""
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("slot__call", "invitation__application")
            .filter(slot_id=slot_id)
            .first()
        )
        if booking is None:
            return None
        booking.sequence += 1
        booking.moved_at = now or timezone.now()
        booking.save(update_fields=["sequence", "moved_at"])
        mail.tell_booking(booking, previous_slot=previous)
    return booking
