"""A call's interview stage in figures, for the organisers' dashboard and cockpit (cohorts).

Three aggregate queries whatever the number of invitations: over the invitations, the slots and
the panel's sheets.
"""

from django.db.models import Count, Exists, OuterRef, Q

from interviews.models import Invitation, Outcome, PanelScoreSheet, SheetStatus, Slot


def stage_counts(call) -> dict[str, int]:
    """invited, booked, not_booked (still expected to book), scored (at least one submitted
    sheet), no_shows, withdrawn; slots and free_slots; sheets submitted and in draft."""
    submitted = PanelScoreSheet.objects.filter(invitation=OuterRef("pk"), status=SheetStatus.SUBMITTED)
    invitations = (
        Invitation.objects.filter(call=call)
        .order_by()
        .aggregate(
            invited=Count("pk"),
            booked=Count("pk", filter=Q(booking__isnull=False)),
            not_booked=Count("pk", filter=Q(booking__isnull=True, outcome=Outcome.PENDING)),
            scored=Count("pk", filter=Exists(submitted)),
            no_shows=Count("pk", filter=Q(outcome=Outcome.NO_SHOW)),
            withdrawn=Count("pk", filter=Q(outcome=Outcome.WITHDRAWN)),
        )
    )
    slots = (
        Slot.objects.filter(call=call)
        .order_by()
        .aggregate(slots=Count("pk"), free_slots=Count("pk", filter=Q(booking__isnull=True)))
    )
    sheets = (
        PanelScoreSheet.objects.filter(invitation__call=call)
        .order_by()
        .aggregate(
            sheets_submitted=Count("pk", filter=Q(status=SheetStatus.SUBMITTED)),
            sheets_draft=Count("pk", filter=Q(status=SheetStatus.DRAFT)),
        )
    )
    return {**invitations, **slots, **sheets}
