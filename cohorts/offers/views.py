"""The founder's side of an offer: read it, accept or decline it (after a confirmation)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cohorts.models import OfferStatus
from cohorts.offers import selectors, services


@login_required
@require_GET
def offer_detail(request, pk):
    offer = selectors.offer_for_owner(request.user, pk)
    return render(request, "cohorts/offer_detail.html", {"offer": offer, "application": offer.application})


ANSWERS = {"accept": True, "decline": False}


@login_required
@require_http_methods(["GET", "POST"])
def offer_answer(request, pk, answer):
    """GET shows what the answer means and asks to confirm; POST records it. POSTing again is harmless."""
    offer = selectors.offer_for_owner(request.user, pk)
    accept = ANSWERS[answer]
    if request.method == "GET":
        if offer.status != OfferStatus.PENDING:
            return redirect("cohorts:offer", pk=offer.pk)
        return render(
            request,
            "cohorts/offer_confirm.html",
            {"offer": offer, "application": offer.application, "accept": accept, "answer": answer},
        )
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Please tick the box to confirm your answer."))
        return render(
            request,
            "cohorts/offer_confirm.html",
            {"offer": offer, "application": offer.application, "accept": accept, "answer": answer, "missing": True},
            status=400,
        )
    offer, outcome = services.respond(offer, accept=accept, by=request.user)
    if outcome == services.Outcome.ACCEPTED:
        messages.success(request, _("Welcome to the programme! Your place in the cohort is confirmed."))
    elif outcome == services.Outcome.DECLINED:
        messages.info(request, _("You declined the offer. Thank you for letting us know."))
    elif outcome == services.Outcome.TOO_LATE:
        messages.error(request, _("The deadline to answer this offer has passed; the offer has expired."))
    else:
        messages.info(
            request,
            _("This offer was already %(status)s; nothing was changed.")
            % {"status": offer.get_status_display().lower()},
        )
    return redirect("cohorts:offer", pk=offer.pk)
