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


def startup_domains(applications) -> dict[int, list[str]]:
    """{application id: domains of its founders' e-mails, team members' e-mails and website}."""
    result: dict[int, list[str]] = {}
    for app_id, owner_email, website in applications.values_list("pk", "owner__email", "website").iterator(
        chunk_size=5000
    ):
        result[app_id] = [d for d in (domains.email_domain(owner_email), domains.url_domain(website)) if d]
    members = TeamMember.objects.filter(application__in=applications).exclude(email="")
    for app_id, email in members.values_list("application_id", "email").iterator(chunk_size=5000):
        domain = domains.email_domain(email)
        if domain and app_id in result:
            result[app_id].append(domain)
    return result


def detect_conflicts(applications, reviewer_ids=None) -> DetectionResult:
    """Record domain conflicts between reviewers and these applications and release their assignments."""
    if reviewer_ids is None:
        # Reviewers, plus anyone assigned to these applications without being one (any more).
        assigned = Assignment.objects.filter(application__in=applications).values_list("reviewer_id", flat=True)
        reviewer_ids = {*reviewers_queryset().values_list("pk", flat=True), *assigned.distinct()}
    index = reviewer_domain_index(reviewer_ids)
    result = DetectionResult()
    if not index:
        return result
    existing = set(Conflict.objects.filter(application__in=applications).values_list("reviewer_id", "application_id"))
    new = []
    for app_id, app_domains in startup_domains(applications).items():
        for reviewer_id, (startup_domain, reviewer_domain) in index.matches(app_domains).items():
            if (reviewer_id, app_id) in existing:
                continue
            reason = _("The startup's domain %(startup)s matches the reviewer's domain %(reviewer)s.") % {
                "startup": startup_domain,
                "reviewer": reviewer_domain,
            }
            new.append(
                Conflict(
                    reviewer_id=reviewer_id, application_id=app_id, source=ConflictSource.EMAIL_DOMAIN, reason=reason
                )
            )
    Conflict.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    result.found = len(new)
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
