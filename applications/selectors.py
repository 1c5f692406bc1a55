"""Reads on applications. Who may read or change one is applications.access."""

from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from applications.access import editable_applications
from applications.answers import SECTIONS
from applications.completeness import missing_by_section
from applications.models import SELECTION_STATUSES, SUBMITTED_STATUSES, Application, Invitation, Membership, Status
from applications.timefmt import deadline_text
from calls.phases import final_ranking_locked, interviews_enabled
from calls.selectors import applications_closed

# A withdrawn application may be reworked and submitted again while the call is open.
EDITABLE_STATUSES = {Status.DRAFT, Status.SUBMITTED, Status.WITHDRAWN}


def is_editable_at(application: Application, now) -> bool:
    """Founders may change their answers until the deadline; after it everything is read-only."""
    return application.status in EDITABLE_STATUSES and application.call.is_open_at(now)


def applications_of(user) -> QuerySet[Application]:
    """Applications a founder owns or joined, with what the list page needs in one query."""
    return (
        editable_applications(user)
        .select_related("call", "owner")
        .annotate(team_count=Count("team_members"))
        .order_by("-call__closes_at", "-updated_at")
    )


def application_for_call(user, call) -> Application | None:
    """The application this person is on for this call (as owner or co-founder), if any."""
    return editable_applications(user).filter(call=call).select_related("call").first()


@dataclass(frozen=True)
class SectionState:
    key: str
    title: str
    missing: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing


def section_states(application: Application, team_count: int | None = None) -> list[SectionState]:
    """Every section in form order, with what it still misses (empty when complete)."""
    missing = missing_by_section(application, team_count=team_count)
    return [SectionState(part.key, str(part.title), missing.get(part.key, [])) for part in SECTIONS]


def people_of(application: Application) -> tuple[list[Membership], list[Invitation]]:
    """Co-founders who joined, and invitations not yet accepted or revoked (expired ones included)."""
    members = list(application.memberships.select_related("user"))
    invitations = list(
        application.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).select_related("invited_by")
    )
    return members, invitations


def submitted_countries() -> list[str]:
    """The countries submitted applications come from, each once (unordered).

    On PostgreSQL a skip scan through the application_submitted_country index: one index probe
    per country (a dozen) instead of reading and sorting 100,000 rows. Other databases read them.
    """
    submitted = Application.objects.filter(status__in=SUBMITTED_STATUSES).exclude(country="")
    if connection.vendor != "postgresql":
        return list(submitted.order_by().values_list("country", flat=True).distinct())
    table = connection.ops.quote_name(Application._meta.db_table)
    statuses = ", ".join(["%s"] * len(SUBMITTED_STATUSES))
    # The status condition is written as the index's own, so that PostgreSQL uses the partial index.
    sql = f"""
        WITH RECURSIVE found(country) AS (
            (SELECT country FROM {table} WHERE status IN ({statuses}) AND country > '' ORDER BY country LIMIT 1)
            UNION ALL
            SELECT (
                SELECT a.country FROM {table} a
                WHERE a.status IN ({statuses}) AND a.country > found.country ORDER BY a.country LIMIT 1
            )
            FROM found WHERE found.country IS NOT NULL
        )
        SELECT country FROM found WHERE country IS NOT NULL
    """  # noqa: S608 (the table name comes from the model; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*SUBMITTED_STATUSES, *SUBMITTED_STATUSES])
        return [row[0] for row in cursor.fetchall()]


def mail_preview_examples(call) -> list[Application]:
    """What the e-mail text editor previews with (mail.previews): the call's latest 50 submitted
    applications, or its latest drafts when none is submitted yet."""
    applications = Application.objects.filter(call=call).select_related("owner", "call")
    return list(applications.exclude(status=Status.DRAFT).order_by("-submitted_at")[:50]) or list(
        applications.order_by("-updated_at")[:50]
    )


class FounderStatus(NamedTuple):
    """An application's status as its founders see it (key for the badge's style, label)."""

    key: str
    label: str


FOUNDER_STYLES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-primary",
    "under_review": "text-bg-info",
    "interview": "text-bg-primary",
    "offer": "text-bg-success",
    "accepted": "text-bg-success",
    "declined": "text-bg-light border",
    "not_selected": "text-bg-light border",
    "withdrawn": "text-bg-light border",
}


def founder_status(application: Application, *, now=None) -> FounderStatus:
    """What the founders read: decisions only once they are told them.

    Locking the shortlist is an internal step: shortlisted, waitlisted and not selected
    applications read "Under review" until the founders receive an offer ("Offer: answer by …")
    or the decision e-mail ("Not selected"), recorded as `decision_published_at`. A submitted
    application reads "Submitted" while the call is open, "Under review" after its deadline.
    Organisers see the real status (`get_status_display`) everywhere else.
    """
    status = application.status
    if status == Status.DRAFT:
        return FounderStatus("draft", str(_("Draft")))
    if status == Status.WITHDRAWN:
        return FounderStatus("withdrawn", str(_("Withdrawn")))
    if status == Status.OFFERED:
        # The offer, made by cohorts, through the reverse relation (applications never imports cohorts).
        offer = getattr(application, "offer", None)
        if offer is None:
            return FounderStatus("offer", str(_("Offer")))
        answer_by = deadline_text(offer.respond_by, application.call.time_zone)
        return FounderStatus("offer", _("Offer: answer by %(date)s") % {"date": answer_by})
    if status == Status.ACCEPTED:
        return FounderStatus("accepted", str(_("Accepted")))
    if status == Status.DECLINED:
        return FounderStatus("declined", str(_("Offer declined")))
    if status == Status.REJECTED and application.decision_published_at is not None:
        return FounderStatus("not_selected", str(_("Not selected")))
    if status == Status.SUBMITTED and not applications_closed(application.call, now=now):
        return FounderStatus("submitted", str(_("Submitted")))
    if status in SELECTION_STATUSES and _invited_to_interview(application):
        return FounderStatus("interview", str(_("Invited to interview")))
    return FounderStatus("under_review", str(_("Under review")))


def _invited_to_interview(application: Application) -> bool:
    """Invited (the interviews app's invitation, through the reverse relation: applications never
    imports it) and the final ranking not locked yet. The invitation is the one step founders are
    told before the decision; once the final ranking is locked they read "Under review" again
    until the offer or the decision e-mail, like everyone else."""
    if not interviews_enabled(application.call) or final_ranking_locked(application.call):
        return False
    try:
        return application.interview_invitation is not None
    except ObjectDoesNotExist:
        return False
