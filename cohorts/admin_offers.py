"""Admin: offers to the shortlist, withdrawals, decision e-mails; the per-call offers page."""

from collections import Counter

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.admin_access import OrganiserReadOnlyAdminMixin, organiser_admin_view
from accounts.roles import is_organiser
from applications.templatetags.application_tags import deadline_text
from calls.models import Call
from cohorts.models import Offer
from cohorts.offers import selectors, services


def send_offers_for(request, call) -> None:
    """Sends the offers the confirmation page announced; reports in messages."""
    try:
        made = services.send_offers(call, by=request.user)
    except services.OfferError as error:
        messages.error(request, str(error))
        return
    if made:
        names = ", ".join(o.application.startup_name for o in made)
        messages.success(
            request,
            ngettext(
                "%(n)d offer sent for %(call)s: %(names)s.", "%(n)d offers sent for %(call)s: %(names)s.", len(made)
            )
            % {"n": len(made), "call": call.title, "names": names},
        )
    else:
        messages.info(
            request,
            _("No offer to send for %(call)s: every seat is taken or nobody is left to offer.") % {"call": call.title},
        )


def send_decisions_for(request, call) -> None:
    try:
        count = services.start_decisions(call, by=request.user)
    except services.OfferError as error:
        messages.error(request, str(error))
        return
    if not count:
        messages.info(
            request,
            _("Every unsuccessful applicant of %(call)s was already sent the decision e-mail: nothing new was sent.")
            % {"call": call.title},
        )
        return
    messages.success(
        request,
        ngettext(
            "The decision e-mail is being sent to %(n)d unsuccessful applicant of %(call)s.",
            "The decision e-mail is being sent to %(n)d unsuccessful applicants of %(call)s.",
            count,
        )
        % {"n": count, "call": call.title},
    )


@require_GET
def offers_page(request, call_id):
    call = get_object_or_404(Call, pk=call_id)
    context = {
        **admin.site.each_context(request),
        "title": _("Offers: %(call)s") % {"call": call.title},
        "call": call,
        "offers": selectors.offers_of_call(call),
        "state": selectors.cohort_state(call),
        "next_candidates": selectors.offer_candidates(call)[:5],
        "opts": Call._meta,
    }
    return render(request, "admin/cohorts/offers.html", context)


def _languages(people) -> list[tuple[str, int]]:
    """(language name, how many) for the e-mails to these people, most first."""
    names = dict(settings.LANGUAGES)
    counts = Counter(names.get(person.language, person.language) for person in people)
    return counts.most_common()


@require_http_methods(["GET", "POST"])
def send_offers_view(request, call_id):
    """GET: who gets an offer now, in which language, answer by when. POST: send them (a second
    POST finds no free seat or nobody left, and sends nothing)."""
    call = get_object_or_404(Call, pk=call_id)
    if request.method == "POST":
        send_offers_for(request, call)
        return redirect("admin:cohorts_call_offers", call_id=call_id)
    plan = services.plan_offers(call)
    context = {
        **admin.site.each_context(request),
        "title": _("Send offers: %(call)s") % {"call": call.title},
        "call": call,
        "plan": plan,
        "respond_by": deadline_text(plan["respond_by"], call.time_zone) if plan["respond_by"] else "",
        "languages": _languages(a.owner for a in plan["offers"]),
        "opts": Call._meta,
    }
    return render(request, "admin/cohorts/offers_confirm.html", context)


SHOWN_RECIPIENTS = 100


@require_http_methods(["GET", "POST"])
def send_decisions_view(request, call_id):
    """GET: how many decision e-mails go to which startups in which language. POST: send them
    (a second POST finds everyone told and sends nothing)."""
    call = get_object_or_404(Call, pk=call_id)
    if request.method == "POST":
        send_decisions_for(request, call)
        return redirect("admin:cohorts_call_offers", call_id=call_id)
    plan = services.plan_decisions(call)
    recipients = plan["recipients"].select_related("owner").order_by("startup_name", "pk")
    languages = recipients.values("owner__language").order_by("owner__language").annotate(n=Count("pk"))
    names = dict(settings.LANGUAGES)
    context = {
        **admin.site.each_context(request),
        "title": _("Send the decision e-mail: %(call)s") % {"call": call.title},
        "call": call,
        "refusal": plan["refusal"],
        "count": plan["recipients"].count(),
        "shown": list(recipients[:SHOWN_RECIPIENTS]),
        "languages": [(names.get(row["owner__language"], row["owner__language"]), row["n"]) for row in languages],
        "opts": Call._meta,
    }
    return render(request, "admin/cohorts/decisions_confirm.html", context)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (recorded in the history, not sent to the founder)"),
        max_length=200,
        required=False,
    )


@require_http_methods(["GET", "POST"])
def withdraw_view(request, offer_id):
    offer = get_object_or_404(Offer.objects.select_related("application__owner", "call"), pk=offer_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _offer, promoted = services.withdraw(offer, by=request.user, reason=form.cleaned_data["reason"])
        except services.OfferError as error:
            messages.error(request, str(error))
        else:
            message = _("The offer to %(startup)s was withdrawn.") % {"startup": offer.application.startup_name}
            if promoted:
                message += " " + _("Offered next: %(names)s.") % {
                    "names": ", ".join(o.application.startup_name for o in promoted)
                }
            messages.success(request, message)
        return redirect("admin:cohorts_call_offers", call_id=offer.call_id)
    owner = offer.application.owner
    candidates = selectors.offer_candidates(offer.call)
    context = {
        **admin.site.each_context(request),
        "title": _("Withdraw the offer to %(startup)s?") % {"startup": offer.application.startup_name},
        "offer": offer,
        "owner": owner,
        "language": dict(settings.LANGUAGES).get(owner.language, owner.language),
        "next_candidate": candidates[0] if candidates else None,
        "call": offer.call,
        "form": form,
        "opts": Offer._meta,
    }
    return render(request, "admin/cohorts/offer_withdraw.html", context)


@require_GET
def dashboard_view(request, call_id):
    from cohorts import dashboard

    call = get_object_or_404(Call, pk=call_id)
    context = {
        **admin.site.each_context(request),
        "title": _("Dashboard: %(call)s") % {"call": call.title},
        "call": call,
        "opts": Call._meta,
        **dashboard.build(call),
    }
    return render(request, "admin/cohorts/dashboard.html", context)


@admin.register(Offer)
class OfferAdmin(OrganiserReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("application", "call", "seat", "status", "offered_at", "respond_by", "responded_at", "answer_link")
    list_filter = ("status", "call")
    search_fields = ("application__startup_name",)
    list_select_related = ("application", "call")
    readonly_fields = [f.name for f in Offer._meta.fields]

    @admin.display(description=gettext_lazy("withdraw"))
    def answer_link(self, obj):
        if obj.status not in ("pending", "accepted"):
            return ""
        url = reverse("admin:cohorts_offer_withdraw", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Withdraw…"))

    def get_urls(self):
        return [
            path("call/<int:call_id>/", organiser_admin_view(offers_page), name="cohorts_call_offers"),
            path("call/<int:call_id>/send/", organiser_admin_view(send_offers_view), name="cohorts_call_send_offers"),
            path(
                "call/<int:call_id>/decisions/",
                organiser_admin_view(send_decisions_view),
                name="cohorts_call_send_decisions",
            ),
            path("call/<int:call_id>/dashboard/", organiser_admin_view(dashboard_view), name="cohorts_call_dashboard"),
            path("<int:offer_id>/withdraw/", organiser_admin_view(withdraw_view), name="cohorts_offer_withdraw"),
            *super().get_urls(),
        ]


@admin.action(description=gettext_lazy("Send offers to the locked shortlist"))
def send_offers_action(modeladmin, request, queryset):
    if not is_organiser(request.user):
        messages.error(request, _("Only organisers may send offers."))
        return
    return _to_confirmation(request, queryset, "admin:cohorts_call_send_offers")


@admin.action(description=gettext_lazy("Send the decision e-mail to unsuccessful applicants"))
def send_decisions_action(modeladmin, request, queryset):
    if not is_organiser(request.user):
        messages.error(request, _("Only organisers may send decisions."))
        return
    return _to_confirmation(request, queryset, "admin:cohorts_call_send_decisions")


def _to_confirmation(request, queryset, url_name):
    """The calls list's actions lead to the call's confirmation page: e-mails go only after it."""
    calls = list(queryset[:2])
    if len(calls) != 1:
        messages.error(request, _("Select one call: the next page shows what will be sent, and to whom."))
        return None
    return redirect(url_name, call_id=calls[0].pk)


CALL_OFFER_ACTIONS = [send_offers_action, send_decisions_action]
