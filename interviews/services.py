"""Writes of the interview stage that the layers around it call: invitations at the review lock,
and a startup's withdrawal.

cohorts (above) calls `invite` when it locks the review shortlist of a call with the interview
stage; this app never asks cohorts anything. `startup_withdrew` runs when a founder withdraws an
invited application (interviews.signals hears it from applications, below).
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from applications.models import Application, Membership
from calls.models import Call
from calls.phases import final_ranking_locked
from interviews import mail as interview_mail
from interviews.models import Booking, Invitation, Outcome
from mail.services import queue_mails


def invite(call: Call, applications: list[Application], *, by=None, now=None) -> list[Invitation]:
    """Invite these applications, best first (their review rank is their place in the list), and
    e-mail every founder of each once. Idempotent: an application already invited keeps its
    invitation and its founders get no second e-mail (the e-mails' dedupe keys)."""
    now = now or timezone.now()
    with transaction.atomic():
        existing = set(Invitation.objects.filter(call=call).values_list("application_id", flat=True))
        Invitation.objects.bulk_create(
            [
                Invitation(application=application, call=call, review_rank=rank, invited_at=now, invited_by=by)
                for rank, application in enumerate(applications, start=1)
                if application.pk not in existing
            ]
        )
        invitations = list(
            Invitation.objects.filter(call=call)
            .select_related("application", "application__owner", "application__call")
            .order_by("review_rank")
        )
        _send_invitations(call, invitations)
    return invitations


def founders_of(applications: list[Application]) -> dict[int, list]:
    """{application id: [owner, co-founders…]} in two queries."""
    founders = {a.pk: [a.owner] for a in applications}
    for membership in Membership.objects.filter(application__in=applications).select_related("user"):
        founders[membership.application_id].append(membership.user)
    return founders


def _send_invitations(call: Call, invitations: list[Invitation]) -> None:
    founders = founders_of([invitation.application for invitation in invitations])
    queue_mails(
        [
            _message(call, invitation, person)
            for invitation in invitations
            for person in founders[invitation.application_id]
            if person.email
        ]
    )


def _message(call: Call, invitation: Invitation, person) -> dict:
    with translation.override(person.language):
        extra = interview_mail.values(call, invitation.application)
    return {
        "kind": interview_mail.KIND,
        "to": person.email,
        "language": person.language,
        "recipient": person,
        "dedupe_key": f"interview-invitation:{invitation.pk}:{person.pk}",
        "context": {"call": call, "application": invitation.application, "recipient": person, **extra},
    }


def startup_withdrew(application_id: int, *, by=None, now=None) -> Invitation | None:
    """The founders withdrew an invited application: its invitation is recorded as withdrawn, which
    keeps it out of the final ranking (and makes a run computed before stale), and its booking of
    a slot still to come is released, so that another startup can book the slot. Once the final
    ranking is locked the invitation stays as that ranking saw it. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("call")
            .filter(application_id=application_id)
            .first()
        )
        if invitation is None:
            return None
        Booking.objects.filter(invitation=invitation, slot__starts_at__gt=now).delete()
        if invitation.outcome == Outcome.WITHDRAWN or final_ranking_locked(invitation.call):
            return invitation
        invitation.outcome = Outcome.WITHDRAWN
        # Staff read the reason beside the final ranking, in the site's language.
        with translation.override(settings.LANGUAGE_CODE):
            invitation.outcome_reason = gettext("The founders withdrew the application.")
        invitation.outcome_recorded_by = by
        invitation.outcome_recorded_at = now
        invitation.save(update_fields=["outcome", "outcome_reason", "outcome_recorded_by", "outcome_recorded_at"])
    return invitation
