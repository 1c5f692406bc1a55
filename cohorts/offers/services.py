"""Writes for offers: send, answer, expire, withdraw, promote from the waitlist, decide.

Every function that hands out seats of a call (or may: a decline, an expiry, a withdrawal) first
locks that call's row, so seats of one call are handed out one transaction at a time: two declines
racing cannot both promote into the same seat. The seat numbers and their partial unique
constraint are the database's own guard on top of that. An accept in time hands out nothing: it
locks only its offer's row, so founders accepting at once never wait on each other, and an accept
racing with a withdrawal still sees the other's result through that row. Other rows are locked
`of=("self",)`: the applications and users read alongside are not locked by the join.
"""

import datetime as dt
import logging
import zoneinfo

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, Status
from applications.services import change_status, publish_decision
from calls.models import Call
from calls.phases import interviews_enabled, ready_for_offers
from calls.selectors import applications_closed, shortlist_locked
from cohorts.models import ACTIVE_OFFER_STATUSES, Offer, OfferStatus
from cohorts.offers import selectors
from core import links
from mail.models import OutboxMessage
from mail.services import queue_mail

logger = logging.getLogger(__name__)


class OfferError(Exception):
    """A request that cannot be carried out; the message is shown to the person who made it."""


def respond_by_for(call: Call, now: dt.datetime) -> dt.datetime:
    """The end of the day, in the call's zone, offer_response_days after now."""
    zone = zoneinfo.ZoneInfo(call.time_zone)
    last_day = timezone.localtime(now, zone).date() + dt.timedelta(days=call.offer_response_days)
    return dt.datetime.combine(last_day, dt.time(23, 59, 59), tzinfo=zone).astimezone(dt.UTC)


def offer_url(offer: Offer) -> str:
    return links.absolute(reverse("cohorts:offer", kwargs={"pk": offer.pk}))


def mail_preview_context(call: Call, application: Application) -> dict:
    """What an offer e-mail about this application carries, for the e-mail text editor's preview
    (mail.previews): its offer, or an unsaved example so that offer placeholders show what they say."""
    offer = getattr(application, "offer", None) if application.pk else None
    if offer is None:
        offer = Offer(application=application, call=call, seat=1, respond_by=respond_by_for(call, timezone.now()))
    return {"offer": offer, "offer_url": offer_url(offer) if offer.pk else links.absolute("/offers/…/")}


def _mail(kind: str, offer: Offer, key: str) -> None:
    application = offer.application
    owner = application.owner
    queue_mail(
        kind=kind,
        to=owner.email,
        language=owner.language,
        recipient=owner,
        dedupe_key=f"{key}:{offer.pk}",
        context={
            "call": offer.call,
            "application": application,
            "offer": offer,
            "recipient": owner,
            "offer_url": offer_url(offer),
        },
    )


def _lock_call(call_id: int) -> Call:
    return Call.objects.select_for_update().get(pk=call_id)


def _lock_offer(offer_id: int) -> Offer:
    """The offer's own row; its application, owner and call are read in the same query, not locked."""
    return Offer.objects.select_for_update(of=("self",)).select_related("application__owner", "call").get(pk=offer_id)


def check_can_send_offers(call: Call, *, now=None) -> dt.datetime:
    """The rules of offers; returns the answer-by date offers sent now get, or raises OfferError.

    Only from a locked shortlist, never before the application deadline, and with a response
    deadline after the moment they are sent (and so after the application deadline).
    """
    now = now or timezone.now()
    if not applications_closed(call, now=now):
        raise OfferError(_("The application deadline has not passed: no offer can be sent while the call is open."))
    if interviews_enabled(call) and (not ready_for_offers(call) or selectors.offers_run(call) is None):
        raise OfferError(_("Lock the final ranking after the interviews before sending offers."))
    if not shortlist_locked(call) or selectors.offers_run(call) is None:
        raise OfferError(_("Lock the shortlist before sending offers."))
    respond_by = respond_by_for(call, now)
    if respond_by <= now or respond_by <= call.closes_at:
        raise OfferError(
            _("The answer-by date (%(date)s UTC) would not be after the moment the offers are sent.")
            % {"date": f"{respond_by:%Y-%m-%d %H:%M}"}
        )
    return respond_by


def _fill_seats(call: Call, *, by=None, now=None, strict: bool = True) -> list[Offer]:
    """Offer every free seat to the next candidates. The caller holds the call row lock.

    When offers may not be sent (check_can_send_offers), raises OfferError, or with `strict`
    off (a founder's answer, the sweep: their own change must go through) offers nothing."""
    now = now or timezone.now()
    try:
        respond_by = check_can_send_offers(call, now=now)
    except OfferError:
        if strict:
            raise
        return []
    taken = set(selectors.active_offers(call).values_list("seat", flat=True))
    free = [seat for seat in range(1, call.cohort_size + 1) if seat not in taken]
    if not free:
        return []
    made = []
    for seat, application in zip(free, selectors.offer_candidates(call), strict=False):
        application = Application.objects.select_for_update(of=("self",)).select_related("owner").get(pk=application.pk)
        offer = Offer.objects.create(
            application=application, call=call, seat=seat, respond_by=respond_by, created_by=by
        )
        note = _("Offer made; answer by %(date)s UTC.") % {"date": f"{offer.respond_by:%Y-%m-%d %H:%M}"}
        change_status(application, Status.OFFERED, by=by, note=note, publish=True)
        offer.application = application
        _mail("offer", offer, "offer")
        made.append(offer)
    if made and call.offers_sent_at is None:
        call.offers_sent_at = now
        call.save(update_fields=["offers_sent_at", "updated_at"])
    return made


def plan_offers(call: Call, *, now=None) -> dict:
    """What send_offers would do now, for its confirmation page: who gets an offer (in rank order,
    with the language of their e-mail), the answer-by date, or why nothing can be sent."""
    now = now or timezone.now()
    try:
        respond_by = check_can_send_offers(call, now=now)
    except OfferError as error:
        return {"refusal": str(error), "offers": [], "respond_by": None}
    taken = set(selectors.active_offers(call).values_list("seat", flat=True))
    free = [seat for seat in range(1, call.cohort_size + 1) if seat not in taken]
    candidates = selectors.offer_candidates(call)[: len(free)]
    return {"refusal": "", "offers": candidates, "respond_by": respond_by, "free_seats": len(free)}


def send_offers(call: Call, *, by=None) -> list[Offer]:
    """Offer the seats of the cohort to the locked shortlist (then the waitlist). Safe to repeat:
    applications that already had an offer are not offered again, and full cohorts get nothing."""
    with transaction.atomic():
        call = _lock_call(call.pk)
        return _fill_seats(call, by=by)


class Outcome:
    ACCEPTED = "accepted"
    DECLINED = "declined"
    UNCHANGED = "unchanged"  # answered, expired or withdrawn before: nothing changes
    TOO_LATE = "too_late"  # the deadline had passed: the offer expired instead


def respond(offer: Offer, *, accept: bool, by) -> tuple[Offer, str]:
    """The founder's answer. Returns (offer, outcome); a second answer changes nothing.

    An answer after the deadline is refused: the offer expires and the next startup is offered,
    exactly as the sweep would have done.
    """
    now = timezone.now()
    with transaction.atomic():
        # A decline or a late answer frees a seat, offered on at once: the call's row first, as
        # withdraw and the sweep take it (call, then offer: no deadlock). respond_by never changes,
        # so the offer passed in tells whether this answer is late, with the same `now` as below.
        if not accept or now > offer.respond_by:
            _lock_call(offer.call_id)
        offer = _lock_offer(offer.pk)
        if offer.status != OfferStatus.PENDING:
            return offer, Outcome.UNCHANGED
        if now > offer.respond_by:
            _expire(offer)
            _fill_seats(offer.call, now=now, strict=False)
            return offer, Outcome.TOO_LATE
        offer.responded_at = now
        if accept:
            _close(offer, OfferStatus.ACCEPTED, Status.ACCEPTED, by=by, note=_("Offer accepted by the founder."))
            _mail("offer_accepted", offer, "offer-accepted")
            return offer, Outcome.ACCEPTED
        _close(offer, OfferStatus.DECLINED, Status.DECLINED, by=by, note=_("Offer declined by the founder."))
        _fill_seats(offer.call, now=now, strict=False)
        return offer, Outcome.DECLINED


def _expire(offer: Offer) -> None:
    _close(offer, OfferStatus.EXPIRED, Status.DECLINED, by=None, note=_("Offer expired without an answer."))
    _mail("offer_expired", offer, "offer-expired")


def withdraw(offer: Offer, *, by, reason: str = "") -> tuple[Offer, list[Offer]]:
    """An organiser takes back a pending or accepted offer; the seat goes to the next startup."""
    with transaction.atomic():
        call = _lock_call(offer.call_id)
        offer = _lock_offer(offer.pk)
        if offer.status not in ACTIVE_OFFER_STATUSES:
            raise OfferError(_("Only a pending or accepted offer can be withdrawn."))
        note = _("Offer withdrawn by the organisers.")
        if reason:
            note = f"{note} {reason}"
        _close(offer, OfferStatus.WITHDRAWN, Status.REJECTED, by=by, note=note, publish=True)
        _mail("offer_withdrawn", offer, "offer-withdrawn")
        return offer, _fill_seats(call, by=by)


def _close(offer: Offer, offer_status: str, application_status: str, *, by, note: str, publish=False) -> None:
    offer.status = offer_status
    offer.save(update_fields=["status", "responded_at"])
    application = Application.objects.select_for_update().get(pk=offer.application_id)
    change_status(application, application_status, by=by, note=note, publish=publish)
    offer.application.status = application.status


def expire_overdue(now=None) -> int:
    """Sweep: offers past their deadline expire and their seats are offered on. Returns how many."""
    now = now or timezone.now()
    call_ids = (
        Offer.objects.filter(status=OfferStatus.PENDING, respond_by__lt=now)
        .values_list("call_id", flat=True)
        .distinct()
        .order_by()
    )
    expired = 0
    for call_id in list(call_ids):
        with transaction.atomic():
            call = _lock_call(call_id)
            overdue = Offer.objects.select_for_update(of=("self",)).filter(
                call=call, status=OfferStatus.PENDING, respond_by__lt=now
            )
            for offer in overdue.select_related("application__owner", "call"):
                _expire(offer)
                expired += 1
            _fill_seats(call, now=now, strict=False)
    return expired


def start_decisions(call: Call, *, by=None) -> int:
    """Organisers close the selection: unsuccessful applicants are told, once.

    Refused while offers are still open or seats could still be filled from the waitlist. Returns
    how many applicants will receive the decision e-mail (sent by a task, in batches): 0 when
    everyone was already sent it, and then nothing is queued.
    """
    from cohorts.offers.tasks import send_decision_emails

    with transaction.atomic():
        call = _lock_call(call.pk)
        state = selectors.cohort_state(call)
        if not state["complete"]:
            if state["pending"]:
                raise OfferError(_("Some offers are still waiting for an answer."))
            raise OfferError(_("The cohort is not complete yet: send offers to the remaining seats first."))
        if call.decided_at is None:
            call.decided_at = timezone.now()
            call.save(update_fields=["decided_at", "updated_at"])
        count = still_to_tell(call).count()
        if count:
            send_decision_emails.delay_on_commit(call.pk, by.pk if by else None)
    return count


def plan_decisions(call: Call) -> dict:
    """What start_decisions would do now, for its confirmation page: the applicants still to be
    sent the decision e-mail (those already sent it are not sent it again), or why not yet."""
    state = selectors.cohort_state(call)
    refusal = ""
    if not state["complete"]:
        if state["pending"]:
            refusal = _("Some offers are still waiting for an answer.")
        else:
            refusal = _("The cohort is not complete yet: send offers to the remaining seats first.")
    return {"refusal": refusal, "recipients": still_to_tell(call)}


UNSUCCESSFUL_STATUSES = (Status.SUBMITTED, Status.SHORTLISTED, Status.WAITLISTED, Status.REJECTED)


def unsuccessful(call: Call):
    return Application.objects.filter(call=call, status__in=UNSUCCESSFUL_STATUSES, offer__isnull=True)


def still_to_tell(call: Call):
    """Unsuccessful applications whose founders have not been sent the decision e-mail yet."""
    mailed = OutboxMessage.objects.filter(dedupe_key=Concat(Value("decision:"), Cast(OuterRef("pk"), CharField())))
    return unsuccessful(call).exclude(Exists(mailed))


def send_decisions_batch(call_id: int, *, by=None, batch_size: int = 200) -> int:
    """Mark one batch of unsuccessful applications as not selected and queue their e-mail.

    Each application is changed and mailed in the same transaction, and the e-mail is keyed on the
    application, so a retried or repeated run sends nobody a second e-mail. Returns the batch size.
    """
    with transaction.atomic():
        call = Call.objects.get(pk=call_id)
        # Those still to do: not yet mailed (the shortlist lock may already have rejected them).
        ids = list(still_to_tell(call).order_by("pk").values_list("pk", flat=True)[:batch_size])
        applications = Application.objects.select_for_update(of=("self",)).select_related("owner").filter(pk__in=ids)
        for application in applications:
            if application.status != Status.REJECTED:
                change_status(application, Status.REJECTED, by=by, note=_("Not selected for the cohort."), publish=True)
            else:
                publish_decision(application)
            owner = application.owner
            queue_mail(
                kind="decision",
                to=owner.email,
                language=owner.language,
                recipient=owner,
                dedupe_key=f"decision:{application.pk}",
                context={"call": call, "application": application, "recipient": owner},
            )
        return len(ids)
