"""Reads for offers and the locked shortlist they are made from."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from applications.models import Application, Status
from cohorts.models import ACTIVE_OFFER_STATUSES, Offer, OfferStatus, Section, ShortlistEntry
from cohorts.selectors import offers_run, offers_stage

# Applications that may still receive an offer.
OFFERABLE_STATUSES = (Status.SHORTLISTED, Status.WAITLISTED)


def _open_entries(call) -> QuerySet[ShortlistEntry]:
    """Entries of the locked shortlist and waitlist whose application may still be offered a seat."""
    return ShortlistEntry.objects.filter(
        run__call=call,
        run__stage=offers_stage(call),
        run__locked_at__isnull=False,
        section__in=[Section.SHORTLIST, Section.WAITLIST],
        application__status__in=OFFERABLE_STATUSES,
        application__offer__isnull=True,
    )


def offer_candidates(call) -> list[Application]:
    """Who gets the next free seats: the shortlist in rank order, then the waitlist in rank order.

    Applications that already had an offer (whatever became of it) or left the pipeline (withdrawn
    by the founder) are skipped.
    """
    entries = (
        _open_entries(call)
        .select_related("application", "application__owner", "application__call")
        .order_by("rank", "id")
    )
    shortlist = [e.application for e in entries if e.section == Section.SHORTLIST]
    waitlist = [e.application for e in entries if e.section == Section.WAITLIST]
    return shortlist + waitlist


def active_offers(call) -> QuerySet[Offer]:
    return Offer.objects.filter(call=call, status__in=ACTIVE_OFFER_STATUSES)


def offers_of_call(call) -> QuerySet[Offer]:
    return Offer.objects.filter(call=call).select_related("application", "application__owner").order_by("seat", "id")


def cohort_state(call) -> dict:
    """Where the cohort stands: seats, answers, and whether the decision e-mails may go out."""
    rows = Offer.objects.filter(call=call).values("status").order_by().annotate(n=Count("id"))
    counts = dict.fromkeys(OfferStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    candidates_left = _open_entries(call).order_by().count()
    accepted, pending = counts[OfferStatus.ACCEPTED], counts[OfferStatus.PENDING]
    full = accepted >= call.cohort_size
    complete = sum(counts.values()) > 0 and pending == 0 and (full or candidates_left == 0)
    return {
        "counts": counts,
        "accepted": accepted,
        "pending": pending,
        "free_seats": max(call.cohort_size - accepted - pending, 0),
        "candidates_left": candidates_left,
        "full": full,
        "complete": complete,
        "has_locked_run": offers_run(call) is not None,
    }


def offer_for_owner(user, pk: int) -> Offer:
    """The offer if this user owns the application; a 404 otherwise, so ids reveal nothing."""
    if not user.is_authenticated:
        raise Http404
    offer = (
        Offer.objects.select_related("application", "application__call", "call")
        .filter(Q(pk=pk) & Q(application__owner=user))
        .first()
    )
    if offer is None:
        raise Http404
    return offer
