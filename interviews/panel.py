"""Reads for the panel: the interviews a panel member scores, their sheet, and the others' sheets.

A panel member sees the interviews booked on the slots they sit on, minus the startups they have a
conflict of interest with (reviews' conflicts: one list for reviews and interviews). Any other id
is a 404, whether it exists or not. The other members' sheets appear once their own is submitted.
"""

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from accounts.roles import is_organiser
from interviews.models import Invitation, PanelScoreSheet, SheetStatus
from interviews.selectors import scoring_closed
from reviews.models import Conflict


class WorkState:
    TODO = "todo"
    DRAFT = "draft"
    SUBMITTED = "submitted"


def _with_own_sheet(invitations: QuerySet[Invitation], user) -> QuerySet[Invitation]:
    """Each interview with `sheet_status` (the user's own sheet: "todo", "draft" or "submitted")
    and `my_score`, computed in the list's one query."""
    own = PanelScoreSheet.objects.filter(invitation=OuterRef("pk"), panel_member=user)
    return invitations.select_related("application", "call", "booking__slot").annotate(
        sheet_status=Case(
            When(Exists(own.filter(status=SheetStatus.SUBMITTED)), then=Value(WorkState.SUBMITTED)),
            When(Exists(own), then=Value(WorkState.DRAFT)),
            default=Value(WorkState.TODO),
            output_field=CharField(),
        ),
        my_score=Subquery(own.values("weighted_score")[:1]),
    )


def panel_interviews(user) -> QuerySet[Invitation]:
    """The booked interviews on the user's panels, without those they have a conflict with."""
    conflicted = Conflict.objects.filter(application=OuterRef("application_id"), reviewer=user)
    return _with_own_sheet(Invitation.objects.filter(booking__slot__panel=user).exclude(Exists(conflicted)), user)


def visible_interviews(user) -> QuerySet[Invitation]:
    """What the panel pages list: an organiser sees every booked interview, a member their panels'."""
    if is_organiser(user):
        return _with_own_sheet(Invitation.objects.filter(booking__isnull=False), user)
    return panel_interviews(user)


def sits_on_a_panel(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff) and (
        user.interview_panels.exists()
    )


def interview_for(user, pk) -> Invitation:
    """One interview this person may open (see visible_interviews), or 404 (ids reveal nothing)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    invitation = visible_interviews(user).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def own_sheet(invitation: Invitation, user) -> PanelScoreSheet | None:
    return PanelScoreSheet.objects.filter(invitation=invitation, panel_member=user).prefetch_related("scores").first()


def other_sheets(invitation: Invitation, user, sheet: PanelScoreSheet | None, *, on_panel: bool):
    """The other members' submitted sheets: for a member of the panel only once their own is
    submitted (no anchoring); an organiser off the panel reads them all."""
    mine_submitted = sheet is not None and sheet.status == SheetStatus.SUBMITTED
    if on_panel and not mine_submitted:
        return []
    if not on_panel and not is_organiser(user):
        return []
    return list(
        PanelScoreSheet.objects.filter(invitation=invitation, status=SheetStatus.SUBMITTED)
        .exclude(panel_member=user)
        .select_related("panel_member")
        .prefetch_related("scores__criterion")
        .order_by("submitted_at", "id")
    )


def panel_members(invitation: Invitation) -> list:
    slot = invitation.booking.slot
    return list(slot.panel.order_by("first_name", "last_name", "email"))


def reads_as_panel(user) -> Q:
    """The applications a panel member reads: booked on a slot of their panel, no conflict declared.

    Registered in applications.access (interviews.apps), the one rule of who reads an application.
    """
    on_panel = Invitation.objects.filter(application=OuterRef("pk"), booking__slot__panel=user)
    conflicted = Conflict.objects.filter(application=OuterRef("pk"), reviewer=user)
    return Q(Exists(on_panel)) & ~Q(Exists(conflicted))


def panel_queue(user, now=None) -> dict:
    """A panel member's interviews at a glance, for the admin home: how many are still to score
    (sheet not submitted, startup not excluded, scoring open), the next interview to come."""
    now = now or timezone.now()
    interviews = list(panel_interviews(user).order_by("booking__slot__starts_at", "pk"))
    closed = {}
    for invitation in interviews:
        if invitation.call_id not in closed:
            closed[invitation.call_id] = scoring_closed(invitation.call, now=now)
    todo = [i for i in interviews if i.sheet_status != WorkState.SUBMITTED and not i.excluded and not closed[i.call_id]]
    upcoming = next((i for i in interviews if i.booking.slot.starts_at >= now), None)
    return {
        "total": len(interviews),
        "todo": len(todo),
        "next": upcoming,
        "next_starts_at": upcoming.booking.slot.starts_at if upcoming else None,
        "time_zone": upcoming.call.time_zone if upcoming else "Europe/Paris",
    }
