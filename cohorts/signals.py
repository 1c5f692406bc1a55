"""Receivers of cohorts on lower apps: an offer renews its application's page in the cache; a change
of a call's rubric is refused once its shortlist is locked, and makes its other runs stale."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext

from applications import caching
from cohorts import selectors
from cohorts.models import Offer, ShortlistRun, StaleReason
from reviews.services.rubric import RubricFrozen
from reviews.signals import rubric_changed, rubric_changing


@receiver([post_save, post_delete], sender=Offer)
def offer_saved(sender, instance, **kwargs):
    caching.application_changed(instance.application_id)


@receiver(rubric_changing, dispatch_uid="cohorts_rubric_frozen_once_locked")
def refuse_once_locked(sender, call, **kwargs):
    if selectors.locked_run(call) is not None:
        raise RubricFrozen(
            gettext(
                "The shortlist of this call is locked: its decisions were taken on these weights, "
                "which can no longer change."
            )
        )


@receiver(rubric_changed, dispatch_uid="cohorts_runs_stale_on_rubric_change")
def runs_are_stale(sender, call, change, **kwargs):
    """Every unlocked run of the call ranked the old scores: mark them stale, in the same transaction."""
    ShortlistRun.objects.filter(call=call, locked_at__isnull=True, stale_since__isnull=True).update(
        stale_since=change.changed_at, stale_reason=StaleReason.RUBRIC
    )
