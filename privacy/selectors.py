"""Reads for a founder's personal data: what they can download, and what deleting the account does."""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from applications.access import editable_applications
from applications.answers import ANSWER_FIELDS
from applications.models import (
    SELECTION_STATUSES,
    Application,
    Invitation,
    Membership,
    Status,
    StatusChange,
    TeamMember,
)
from cohorts.models import OfferStatus
from core import links
from mail.models import OutboxMessage


def email_addresses(user) -> set[str]:
    """Every address of the account, lower-cased: its own and any other it verified."""
    addresses = {user.email.lower()} if user.email else set()
    addresses |= {e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    return addresses


def applications_of(user) -> QuerySet[Application]:
    """Applications the person owns or joined as a co-founder, with what the export reads."""
    return (
        editable_applications(user)
        .select_related("call", "owner", "offer")
        .prefetch_related(
            Prefetch("team_members", queryset=TeamMember.objects.order_by("order", "id")),
            Prefetch("status_changes", queryset=StatusChange.objects.order_by("changed_at", "id")),
            Prefetch("memberships", queryset=Membership.objects.select_related("user")),
            Prefetch("invitations", queryset=Invitation.objects.select_related("invited_by")),
        )
        .order_by("created_at", "id")
    )


def _to_any(field: str, addresses) -> Q:
    query = Q(pk__in=[])
    for address in addresses:
        query |= Q(**{f"{field}__iexact": address})
    return query


def emails_to(user) -> QuerySet[OutboxMessage]:
    """E-mails the portal wrote to this person (by account, or to one of their addresses)."""
    return OutboxMessage.objects.filter(Q(recipient=user) | _to_any("to", email_addresses(user))).order_by(
        "created_at", "id"
    )


def invitations_to(user) -> QuerySet[Invitation]:
    """Invitations addressed to one of the person's addresses, or that they accepted."""
    return Invitation.objects.filter(Q(accepted_by=user) | _to_any("email", email_addresses(user)))


def _offer(application):
    # select_related caches a missing one-to-one as absent; the accessor then raises.
    return getattr(application, "offer", None)


def _iso(moment):
    return moment.isoformat() if moment else None


def _person(user) -> dict:
    return {"name": user.get_full_name(), "email": user.email}


def application_record(application, user, deck_path: str | None) -> dict:
    is_owner = application.owner_id == user.pk
    offer = _offer(application)
    record = {
        "id": application.pk,
        "your_role": "owner" if is_owner else "co-founder",
        "call": {
            "title": application.call.title,
            "address": links.absolute(application.call.get_absolute_url()),
            "closes_at": _iso(application.call.closes_at),
        },
        # As the founders see it: a selection not told to them yet reads "under review".
        "status": application.founder_status.key,
        "status_label": application.founder_status.label,
        "started_at": _iso(application.created_at),
        "last_saved_at": _iso(application.updated_at),
        "submitted_at": _iso(application.submitted_at),
        "answers": {name: _answer(getattr(application, name)) for name in ANSWER_FIELDS},
        "team": [
            {"name": m.name, "role": m.role, "email": m.email, "profile_url": m.profile_url}
            for m in application.team_members.all()
        ],
        "pitch_deck": None,
        "people_with_access": {
            "owner": _person(application.owner),
            "co_founders": [{**_person(m.user), "joined_at": _iso(m.joined_at)} for m in application.memberships.all()],
        },
        "status_history": [
            {
                "from": change.from_status,
                "to": change.to_status,
                "at": _iso(change.changed_at),
                "by_you": change.changed_by_id == user.pk,
            }
            for change in application.status_changes.all()
            if application.decision_published_at is not None or change.to_status not in SELECTION_STATUSES
        ],
        "offer": None,
    }
    if application.pitch_deck:
        record["pitch_deck"] = {
            "file_in_archive": deck_path,
            "name_you_uploaded": application.pitch_deck_name,
            "size_bytes": application.pitch_deck_size,
            "uploaded_at": _iso(application.pitch_deck_uploaded_at),
        }
    if is_owner:
        record["invitations_sent"] = [
            {
                "email": invitation.email,
                "sent_at": _iso(invitation.created_at),
                "expires_at": _iso(invitation.expires_at),
                "accepted_at": _iso(invitation.accepted_at),
                "cancelled_at": _iso(invitation.revoked_at),
            }
            for invitation in application.invitations.all()
        ]
    if offer is not None:
        record["offer"] = {
            "status": offer.status,
            "offered_at": _iso(offer.offered_at),
            "answer_by": _iso(offer.respond_by),
            "answered_at": _iso(offer.responded_at),
        }
    return record


def _answer(value):
    if hasattr(value, "code"):  # a django-countries Country
        return value.code or ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def personal_data(user, deck_paths: dict[int, str] | None = None) -> dict:
    """Everything the portal holds about this founder, as JSON-ready data, in a constant number of queries."""
    deck_paths = deck_paths or {}
    addresses = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    received = invitations_to(user).select_related("application", "invited_by").order_by("created_at", "id")
    return {
        "about": (
            "All the personal data the AI Startup Programme's application portal holds about you, "
            "exported at your request (GDPR article 15 and 20). Pitch decks are in the decks/ folder."
        ),
        "exported_at": timezone.now().isoformat(),
        "portal": settings.SITE_URL,
        "account": {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "signed_up_at": _iso(user.date_joined),
            "last_login_at": _iso(user.last_login),
            "email_addresses": [{"email": a.email, "verified": a.verified, "primary": a.primary} for a in addresses],
        },
        "applications": [application_record(a, user, deck_paths.get(a.pk)) for a in applications_of(user)],
        "invitations_received": [
            {
                "application_id": invitation.application_id,
                "startup_name": invitation.application.startup_name,
                "invited_by": invitation.invited_by.get_full_name() if invitation.invited_by else "",
                "email": invitation.email,
                "sent_at": _iso(invitation.created_at),
                "accepted_at": _iso(invitation.accepted_at),
                "cancelled_at": _iso(invitation.revoked_at),
            }
            for invitation in received
        ],
        "emails_sent_to_you": [
            {
                "kind": message.kind,
                "to": message.to,
                "subject": message.subject,
                "body": message.body,
                "status": message.status,
                "queued_at": _iso(message.created_at),
                "sent_at": _iso(message.sent_at),
            }
            for message in emails_to(user)
        ],
    }


@dataclass
class ErasurePlan:
    """What deleting this account would do, shown before the founder confirms."""

    drafts: list = field(default_factory=list)  # owned drafts: deleted
    kept: list = field(default_factory=list)  # owned, submitted at some point: anonymised
    joined: list = field(default_factory=list)  # someone else's: the person leaves it
    pending_offers: list = field(default_factory=list)  # blocks the deletion
    co_founders: list = field(default_factory=list)  # people who lose an application the founder owns

    @property
    def blocked(self) -> bool:
        return bool(self.pending_offers)


def pending_offer_applications(user) -> QuerySet[Application]:
    return (
        editable_applications(user).filter(offer__status=OfferStatus.PENDING).select_related("offer", "owner", "call")
    )


def erasure_plan(user) -> ErasurePlan:
    plan = ErasurePlan(pending_offers=list(pending_offer_applications(user)))
    co_founders = {}
    for application in applications_of(user):
        if application.owner_id != user.pk:
            plan.joined.append(application)
            continue
        (plan.drafts if application.status == Status.DRAFT else plan.kept).append(application)
        for membership in application.memberships.all():
            co_founders[membership.user_id] = membership.user
    plan.co_founders = list(co_founders.values())
    return plan
