"""What the interview stage hears from below without being called.

Conflicts of interest between a panel and the startup it interviews, found as soon as they meet:
when a startup books (or moves to) a slot, and when a slot's panel changes. The detection is the
reviews' (reviews.services.conflicts): a conflict found here also keeps the member from reviewing
the startup, and the panel pages and scoring refuse it (interviews.panel, interviews.scoring).

A withdrawal: applications records every status change as a StatusChange row, in the transaction
of the change; one to "withdrawn" releases the startup's interview (interviews.services).
"""

from django.db.models.signals import m2m_changed, post_save

from applications.models import Status, StatusChange
from interviews.models import Booking, Slot
from interviews.scoring import detect_panel_conflicts
from interviews.services import startup_withdrew


def _booking_saved(sender, instance: Booking, **kwargs):
    members = instance.slot.panel.values_list("pk", flat=True)
    detect_panel_conflicts([instance.invitation.application_id], members)


def _panel_changed(sender, instance, action, pk_set, **kwargs):
    if action != "post_add" or not pk_set:
        return
    if isinstance(instance, Slot):
        slots = [instance]
        members = pk_set
    else:  # added from the user's side: instance is the member, pk_set the slots
        slots = list(Slot.objects.filter(pk__in=pk_set))
        members = {instance.pk}
    application_ids = list(Booking.objects.filter(slot__in=slots).values_list("invitation__application_id", flat=True))
    if application_ids:
        detect_panel_conflicts(application_ids, members)


def _status_changed(sender, instance: StatusChange, created: bool, **kwargs):
    if created and instance.to_status == Status.WITHDRAWN:
        startup_withdrew(instance.application_id, by=instance.changed_by)


def connect() -> None:
    post_save.connect(_booking_saved, sender=Booking, dispatch_uid="interviews_booking_conflicts")
    m2m_changed.connect(_panel_changed, sender=Slot.panel.through, dispatch_uid="interviews_panel_conflicts")
    post_save.connect(_status_changed, sender=StatusChange, dispatch_uid="interviews_withdrawal")
