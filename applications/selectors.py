"""Reads on applications, and who may see what."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.roles import is_organiser
from applications.completeness import SECTIONS, missing_by_section
from applications.models import SUBMITTED_STATUSES, Application, Invitation, Membership, Status
from reviews.models import Assignment, AssignmentState

# A withdrawn application may be reworked and submitted again while the call is open.
EDITABLE_STATUSES = {Status.DRAFT, Status.SUBMITTED, Status.WITHDRAWN}


def is_editable_at(application: Application, now) -> bool:
    """Founders may change their answers until the deadline; after it everything is read-only."""
    return application.status in EDITABLE_STATUSES and application.call.is_open_at(now)


def is_member(user, application: Application) -> bool:
    """The owner or a co-founder who joined: the people who edit the application."""
    if not user.is_authenticated:
        return False
    if application.owner_id == user.pk:
        return True
    return Membership.objects.filter(application=application, user=user).exists()


def can_view(user, application: Application) -> bool:
    """Owner, co-founders, organisers, and reviewers with an active assignment on it."""
    if not user.is_authenticated:
        return False
    if is_member(user, application) or is_organiser(user):
        return True
    return Assignment.objects.filter(application=application, reviewer=user, state=AssignmentState.ACTIVE).exists()


def viewable_application(user, pk: int) -> Application:
    """The application if this user may see it; otherwise 404, so ids reveal nothing."""
    application = Application.objects.select_related("call", "owner").filter(pk=pk).first()
    if application is None or not can_view(user, application):
        raise Http404
    return application


def founder_application(user, pk: int) -> Application:
    """The application for its founders' own pages (owner and co-founders only); 404 for anyone else.

    Reviewers and organisers read applications in the admin, not on the founders' workspace.
    """
    application = Application.objects.select_related("call", "owner").filter(pk=pk).first()
    if application is None or not is_member(user, application):
        raise Http404
    return application


def applications_of(user) -> QuerySet[Application]:
    """Applications a founder owns or joined, with what the list page needs in one query."""
    return (
        Application.objects.filter(Q(owner=user) | Q(memberships__user=user))
        .select_related("call", "owner")
        .annotate(team_count=Count("team_members", distinct=True))
        .distinct()
        .order_by("-call__closes_at", "-updated_at")
    )


def application_for_call(user, call) -> Application | None:
    """The application this person is on for this call (as owner or co-founder), if any."""
    if not user.is_authenticated:
        return None
    return (
        Application.objects.filter(call=call)
        .filter(Q(owner=user) | Q(memberships__user=user))
        .select_related("call")
        .first()
    )


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
    return [SectionState(key, str(title), missing.get(key, [])) for key, (title, _f) in SECTIONS.items()]


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
