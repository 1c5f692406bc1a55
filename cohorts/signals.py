"""Receivers of cohorts on lower apps: a change of a call's rubric makes its shortlist runs stale."""

from django.dispatch import receiver

from cohorts.models import ShortlistRun, StaleReason
from reviews.signals import rubric_changed


@receiver(rubric_changed, dispatch_uid="cohorts_runs_stale_on_rubric_change")
def runs_are_stale(sender, call, change, **kwargs):
    """Every unlocked run of the call ranked the old scores: mark them stale, in the same transaction."""
    ShortlistRun.objects.filter(call=call, locked_at__isnull=True, stale_since__isnull=True).update(
        stale_since=change.changed_at, stale_reason=StaleReason.RUBRIC
    )
