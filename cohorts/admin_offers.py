"""Admin: offers to the shortlist, withdrawals, decision e-mails; the per-call offers page."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.admin_access import OrganiserReadOnlyAdminMixin, organiser_admin_view
from accounts.roles import is_organiser
from calls.models import Call
from cohorts.models import Offer
from cohorts.offers import selectors, services


def send_offers_for(request, call) -> None:
    """Shared by the offers page button and the calls list action; reports in messages."""
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


@require_POST
def send_offers_view(request, call_id):
    send_offers_for(request, get_object_or_404(Call, pk=call_id))
    return redirect("admin:cohorts_call_offers", call_id=call_id)


@require_POST
def send_decisions_view(request, call_id):
    send_decisions_for(request, get_object_or_404(Call, pk=call_id))
    return redirect("admin:cohorts_call_offers", call_id=call_id)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (recorded in the history, not sent to the founder)"),
        max_length=200,
        required=False,
    )


@require_http_methods(["GET", "POST"])
def withdraw_view(request, offer_id):
    offer = get_object_or_404(Offer.objects.select_related("application", "call"), pk=offer_id)
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
    context = {
        **admin.site.each_context(request),
        "title": _("Withdraw the offer to %(startup)s?") % {"startup": offer.application.startup_name},
        "offer": offer,
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
    for call in queryset:
        send_offers_for(request, call)


@admin.action(description=gettext_lazy("Send the decision e-mail to unsuccessful applicants"))
def send_decisions_action(modeladmin, request, queryset):
    if not is_organiser(request.user):
        messages.error(request, _("Only organisers may send decisions."))
        return
    for call in queryset:
        send_decisions_for(request, call)


CALL_OFFER_ACTIONS = [send_offers_action, send_decisions_action]
