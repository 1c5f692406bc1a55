"""Erasing a founder's account (GDPR article 17), keeping anonymised review records for the audit."""

import logging

from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from applications.answers import ANSWERS
from applications.models import Application, Membership, Status
from applications.services import change_status
from applications.services.submission import WITHDRAWABLE
from calls.models import Call
from mail.models import OutboxStatus
from mail.services import queue_mail
from privacy import selectors
from privacy.models import ErasureRecord

logger = logging.getLogger(__name__)

# What an anonymised application is called from then on, in every language (it is data, not text).
ANONYMISED_NAME = "[anonymised]"
ERASED_NOTE = "Account deleted by its owner"
# Every answer founders type freely (applications.answers), the deck, and the founding date: what
# names or dates the startup or a person. Categorical answers (country, stage, models, GPU-hours...)
# stay: without a name they describe no one and keep the call's statistics true.
ERASED_TEXT_FIELDS = (*(name for name, answer in ANSWERS.items() if answer.free_text), "pitch_deck", "pitch_deck_name")
ERASED_NULL_FIELDS = ("founded_on", "pitch_deck_size", "pitch_deck_uploaded_at")


class ErasureRefused(Exception):
    """The account cannot be deleted now; `code` says why ("pending_offer", "staff")."""

    def __init__(self, code: str, applications=()):
        super().__init__(code)
        self.code = code
        self.applications = list(applications)


def placeholder_email(user_id: int) -> str:
    # .invalid is reserved (RFC 2606): nothing can ever be delivered there.
    return f"deleted-{user_id}@anonymised.invalid"


def is_erased(user) -> bool:
    return ErasureRecord.objects.filter(user=user).exists()


def erase_account(user_id: int, *, now=None) -> ErasureRecord:
    """Delete a founder's personal data. Idempotent: an erased account returns its record.

    - drafts they own are deleted with their decks;
    - applications they own that were submitted stay, for the reviews that point to them, but
      lose every answer that names someone, their team, people and deck; still in review they
      are withdrawn (recorded in their history) and co-founders are told;
    - they leave applications of others; invitations to them are deleted;
    - e-mails to them are kept without address or text (pending ones are not sent);
    - the account keeps only a placeholder address, cannot sign in, and its login records go.

    Refused while an offer to one of their applications waits for an answer, and for staff.
    """
    now = now or timezone.now()
    files = []
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        existing = ErasureRecord.objects.filter(user=user).first()
        if existing is not None:
            return existing
        if user.is_staff or user.is_superuser:
            raise ErasureRefused("staff")
        involved = Application.objects.filter(Q(owner=user) | Q(memberships__user=user)).distinct()
        # Calls first, in id order, as the offer services lock them: no offer is made meanwhile.
        call_ids = sorted(set(involved.values_list("call_id", flat=True)))
        list(Call.objects.select_for_update().filter(pk__in=call_ids).order_by("pk").values_list("pk", flat=True))
        pending = list(selectors.pending_offer_applications(user))
        if pending:
            raise ErasureRefused("pending_offer", pending)
        addresses = selectors.email_addresses(user)

        deleted, anonymised = [], []
        owned = Application.objects.select_for_update().filter(owner=user).select_related("call").order_by("pk")
        for application in owned:
            if application.pitch_deck:
                files.append(application.pitch_deck.name)
            _tell_co_founders(application)
            if application.status == Status.DRAFT:
                deleted.append(application.pk)
                application.delete()
            else:
                anonymised.append(application.pk)
                _anonymise(application)

        Membership.objects.filter(user=user).delete()
        selectors.invitations_to(user).delete()
        _erase_outbox(user, addresses)
        _erase_login_records(user, addresses)
        EmailAddress.objects.filter(user=user).delete()

        user.first_name = ""
        user.last_name = ""
        user.email = placeholder_email(user.pk)
        user.username = f"deleted-{user.pk}"
        user.is_active = False
        # Also ends every other session: Django checks a hash of the password on each request.
        user.set_unusable_password()
        user.save()
        record = ErasureRecord.objects.create(
            user=user, erased_at=now, deleted_applications=deleted, anonymised_applications=anonymised
        )
        storage = Application._meta.get_field("pitch_deck").storage
        transaction.on_commit(lambda: _delete_files(storage, files))
    logger.info("Account %s erased: drafts %s deleted, applications %s anonymised", user_id, deleted, anonymised)
    return record


def _anonymise(application: Application) -> None:
    if application.status in WITHDRAWABLE:
        # Still in review: the founder is gone, so the application leaves the selection.
        change_status(application, Status.WITHDRAWN, note=ERASED_NOTE)
    for name in ERASED_TEXT_FIELDS:
        setattr(application, name, "")
    application.startup_name = ANONYMISED_NAME
    for name in ERASED_NULL_FIELDS:
        setattr(application, name, None)
    application.version += 1
    application.save()
    application.team_members.all().delete()
    application.memberships.all().delete()
    application.invitations.all().delete()


def _tell_co_founders(application: Application) -> None:
    """Co-founders lose the application with its owner's account: each is told once, in their language."""
    for membership in application.memberships.select_related("user"):
        person = membership.user
        if not person.email or not person.is_active:
            continue
        queue_mail(
            kind="application_erased",
            to=person.email,
            language=person.language,
            recipient=person,
            dedupe_key=f"application_erased:{application.pk}:{person.pk}",
            context={
                "application": application,
                "call": application.call,
                "recipient": person,
                "was_draft": application.status == Status.DRAFT,
            },
        )


def _erase_outbox(user, addresses) -> None:
    messages = selectors.emails_to(user)
    # Not sent to an address that no longer belongs to anyone we know.
    messages.filter(status=OutboxStatus.PENDING).update(
        status=OutboxStatus.FAILED, last_error="Not sent: the recipient deleted their account."
    )
    # Attachments too: a calendar file names its attendees.
    messages.update(to=placeholder_email(user.pk), subject="", body="", attachments=[], recipient=user)


def _erase_login_records(user, addresses) -> None:
    identifiers = {a.lower() for a in addresses} | {user.username.lower()}
    query = Q(pk__in=[])
    for identifier in identifiers:
        query |= Q(username__iexact=identifier)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(query).delete()


def _delete_files(storage, names) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # a folder raises OSError, a bucket botocore errors: logged either way
            logger.exception("Could not delete the erased file %s", name)
