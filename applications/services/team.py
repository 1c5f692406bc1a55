"""Co-founders: invitations by e-mail, joining, leaving and removal."""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from applications.access import is_owner
from applications.models import Application, Invitation, Membership
from applications.selectors import application_for_call
from applications.services.errors import InvitationError, NotAllowed
from applications.services.ownership import lock_as_owner
from core import links
from mail.services import queue_mail

# Owner plus this many co-founders and open invitations: a founding team, not a mailing list.
MAX_COFOUNDERS = 8


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(application_id: int, *, by, email: str, now=None) -> tuple[Invitation, str]:
    """E-mail a single-use link to join the application; returns the invitation and its secret token.

    Inviting an address again replaces the earlier link (the old one stops working).
    """
    now = now or timezone.now()
    email = email.strip()
    with transaction.atomic():
        application = lock_as_owner(application_id, by, "call", "owner")
        if application.owner.email.lower() == email.lower():
            raise InvitationError("self")
        if application.memberships.filter(user__email__iexact=email).exists():
            raise InvitationError("already_member")
        open_invitations = application.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        open_invitations.filter(email__iexact=email).update(revoked_at=now)
        if application.memberships.count() + open_invitations.count() >= MAX_COFOUNDERS:
            raise InvitationError("too_many")
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            application=application,
            email=email,
            token_hash=token_hash(token),
            invited_by=by,
            expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        invitee = User.objects.filter(email__iexact=email).first()
        queue_mail(
            kind="invitation",
            to=email,
            context={
                "application": application,
                "call": application.call,
                "inviter": by,
                "invitation": invitation,
                "url": links.absolute(reverse("applications:invitation", kwargs={"token": token})),
            },
            language=invitee.language if invitee else by.language,
            dedupe_key=f"invitation:{invitation.pk}",
            recipient=invitee,
        )
    return invitation, token


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("application__call", "application__owner", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def email_belongs_to(user, email: str) -> bool:
    """The account's own address, or another address on it that was verified."""
    if user.email and user.email.lower() == email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def invitation_problem(invitation: Invitation, user, now) -> str:
    """Why this user cannot use this invitation now ('' when they can). Codes are shown as messages."""
    if invitation.revoked_at is not None:
        return "revoked"
    application = invitation.application
    if invitation.accepted_at is not None:
        if user.is_authenticated and Membership.objects.filter(application=application, user=user).exists():
            return "already_joined"
        return "used"
    if now >= invitation.expires_at:
        return "expired"
    if not user.is_authenticated:
        return ""
    if application.owner_id == user.pk:
        return "owner"
    if not email_belongs_to(user, invitation.email):
        return "wrong_account"
    other = application_for_call(user, application.call)
    if other is not None and other.pk != application.pk:
        return "other_application"
    return ""


def accept_invitation(token: str, *, by, now=None) -> Application:
    """`by` joins the application as a co-founder, if the invitation is theirs to use (invitation_problem)."""
    user = by
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("application__call", "application__owner")
            .filter(token_hash=token_hash(token))
            .first()
        )
        if invitation is None:
            raise InvitationError("unknown")
        problem = invitation_problem(invitation, user, now)
        if problem:
            raise InvitationError(problem)
        application = invitation.application
        try:
            with transaction.atomic():
                Membership.objects.get_or_create(
                    application=application, user=user, defaults={"call": application.call}
                )
        except IntegrityError as exc:
            raise InvitationError("other_application") from exc
        invitation.accepted_at = now
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return application


def revoke_invitation(application_id: int, invitation_id: int, *, by, now=None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        application = lock_as_owner(application_id, by)
        application.invitations.filter(pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now
        )


def remove_member(application_id: int, membership_id: int, *, by) -> None:
    with transaction.atomic():
        application = lock_as_owner(application_id, by)
        application.memberships.filter(pk=membership_id).delete()


def leave(application_id: int, *, by) -> None:
    """`by` stops being a co-founder; the owner cannot leave (NotAllowed), they withdraw or delete."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application_id)
        if is_owner(by, application):
            raise NotAllowed
        Membership.objects.filter(application=application, user=by).delete()
