"""The cockpit's "Remind reviewers with reviews due": a confirmation page listing who gets an e-mail,
then reminders.nudges sends them. Added to the call admin and to the cockpit's "Follow the
reviews" step from here: reminders sits above cohorts, which never imports it."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.admin_access import organiser_admin_view
from calls.models import Call
from calls.selectors import reviews_closed
from reminders import nudges


def remind_view(request, call_id):
    call = get_object_or_404(Call, pk=call_id)
    cockpit = reverse("admin:calls_call_cockpit", args=[call.pk])
    if request.method == "POST":
        plan = nudges.nudge_reviewers(call)
        sent = len(plan.to_send)
        if sent:
            messages.success(
                request,
                ngettext(
                    "A reminder was sent to %(count)d reviewer with reviews due.",
                    "A reminder was sent to each of the %(count)d reviewers with reviews due.",
                    sent,
                )
                % {"count": sent},
            )
        else:
            messages.info(request, _("No reminder was sent: no reviewer with reviews due is left to remind today."))
        return HttpResponseRedirect(cockpit)
    plan = nudges.plan_nudge(call)
    context = {
        **admin.site.each_context(request),
        "title": _("Remind reviewers with reviews due"),
        "opts": Call._meta,
        "call": call,
        "plan": plan,
        "closed": reviews_closed(call),
        "cockpit_url": cockpit,
    }
    return TemplateResponse(request, "admin/reminders/remind_reviewers.html", context)


def remind_urls(call_admin):
    return [
        path(
            "<int:call_id>/remind-reviewers/",
            organiser_admin_view(remind_view),
            name="calls_call_remind_reviewers",
        )
    ]


def remind_link(call) -> str:
    """The cockpit's link, while reviews can still be submitted."""
    if reviews_closed(call):
        return ""
    return reverse("admin:calls_call_remind_reviewers", args=[call.pk])


REMIND_LABEL = gettext_lazy("Remind reviewers with reviews due…")
