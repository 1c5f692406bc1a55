"""Conflicts of interest: found from e-mail and web domains, or declared by a reviewer or an organiser.

A conflict releases the reviewer's assignment on that application (state "conflicted"): it stops
counting, the reviewer loses access, and the next assignment run gives the application someone else.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import Application, TeamMember
from reviews import domains
from reviews.models import Assignment, AssignmentState, Conflict, ConflictSource, ReviewerProfile
from reviews.selectors import reviewers_queryset
from reviews.services.summaries import refresh_summaries


@dataclass
class DetectionResult:
    found: int = 0  # new conflicts recorded
    released: int = 0  # active assignments released because of a conflict


def reviewer_domain_index(reviewer_ids) -> domains.DomainIndex:
    """These reviewers' identifying domains: their e-mail's and their profile's."""
    users = User.objects.filter(pk__in=reviewer_ids)
    profiles = dict(ReviewerProfile.objects.filter(user__in=users).values_list("user_id", "email_domains"))
    index = domains.DomainIndex()
    for user_id, email in users.values_list("pk", "email"):
        index.add(user_id, [domains.email_domain(email), *(profiles.get(user_id) or [])])
    return index


def startup_contacts(applications) -> dict[int, tuple[list[str], set[str]]]:
    """{application id: (domains, e-mail addresses)} of its owner, team members and website."""
    result: dict[int, tuple[list[str], set[str]]] = {}
    rows = applications.values_list("pk", "owner__email", "website").iterator(chunk_size=5000)
    for app_id, owner_email, website in rows:
        found = [d for d in (domains.email_domain(owner_email), domains.url_domain(website)) if d]
        result[app_id] = (found, {owner_email.strip().lower()} if owner_email else set())
    members = TeamMember.objects.filter(application__in=applications).exclude(email="")
    for app_id, email in members.values_list("application_id", "email").iterator(chunk_size=5000):
        if app_id in result:
            domain = domains.email_domain(email)
            if domain:
                result[app_id][0].append(domain)
            result[app_id][1].add(email.strip().lower())
    return result


def detect_conflicts(applications, reviewer_ids=None) -> DetectionResult:
    """Record automatic conflicts between reviewers and these applications and release their assignments.

    A conflict is a shared identifying domain (see reviews.domains) or, whatever the domain (gmail.com
    too), the reviewer's own address among the startup's founders and team members.
    """
    if reviewer_ids is None:
        # Reviewers, plus anyone assigned to these applications without being one (any more).
        assigned = Assignment.objects.filter(application__in=applications).values_list("reviewer_id", flat=True)
        reviewer_ids = {*reviewers_queryset().values_list("pk", flat=True), *assigned.distinct()}
    result = DetectionResult()
    if not reviewer_ids:
        return result
    index = reviewer_domain_index(reviewer_ids)
    addresses = {
        email.strip().lower(): pk for pk, email in User.objects.filter(pk__in=reviewer_ids).values_list("pk", "email")
    }
    existing = set(Conflict.objects.filter(application__in=applications).values_list("reviewer_id", "application_id"))
    new = {}
    for app_id, (app_domains, app_emails) in startup_contacts(applications).items():
        for email in app_emails & addresses.keys():
            reason = _("The reviewer is one of the startup's founders or team members (%(email)s).") % {"email": email}
            new.setdefault((addresses[email], app_id), reason)
        for reviewer_id, (startup_domain, reviewer_domain) in index.matches(app_domains).items():
            reason = _("The startup's domain %(startup)s matches the reviewer's domain %(reviewer)s.") % {
                "startup": startup_domain,
                "reviewer": reviewer_domain,
            }
            new.setdefault((reviewer_id, app_id), reason)
    conflicts = [
        Conflict(reviewer_id=reviewer_id, application_id=app_id, source=ConflictSource.EMAIL_DOMAIN, reason=reason)
        for (reviewer_id, app_id), reason in new.items()
        if (reviewer_id, app_id) not in existing
    ]
    Conflict.objects.bulk_create(conflicts, batch_size=2000, ignore_conflicts=True)
    result.found = len(conflicts)
    result.released = release_conflicted(applications)
    return result


def release_conflicted(applications) -> int:
    """Set to "conflicted" every active assignment on these applications that has a conflict recorded."""
    conflict = Conflict.objects.filter(reviewer_id=OuterRef("reviewer_id"), application_id=OuterRef("application_id"))
    to_release = Assignment.objects.filter(application__in=applications, state=AssignmentState.ACTIVE).filter(
        Exists(conflict)
    )
    app_ids = list(to_release.values_list("application_id", flat=True))
    released = Assignment.objects.filter(pk__in=to_release.values("pk")).update(state=AssignmentState.CONFLICTED)
    refresh_summaries(app_ids)
    return released


def declare_conflict(*, reviewer, application: Application, source: str, reason: str, by=None) -> Conflict:
    """Record a conflict (idempotent per pair) and release the reviewer's assignment on the application."""
    reason = (reason or "").strip()
    if source != ConflictSource.EMAIL_DOMAIN and not reason:
        raise ValidationError({"reason": _("Say briefly why there is a conflict of interest.")})
    with transaction.atomic():
        conflict, _created = Conflict.objects.get_or_create(
            reviewer=reviewer,
            application=application,
            defaults={"source": source, "reason": reason[:300], "declared_by": by},
        )
        Assignment.objects.filter(reviewer=reviewer, application=application, state=AssignmentState.ACTIVE).update(
            state=AssignmentState.CONFLICTED
        )
        refresh_summaries([application.pk])
    return conflict


def declare_own_conflict(assignment: Assignment, *, by, reason: str) -> Conflict:
    """The reviewer's "I have a conflict" on one of their assignments."""
    if by.pk != assignment.reviewer_id:
        raise PermissionDenied
    return declare_conflict(
        reviewer=assignment.reviewer,
        application=assignment.application,
        source=ConflictSource.REVIEWER,
        reason=reason,
        by=by,
    )
