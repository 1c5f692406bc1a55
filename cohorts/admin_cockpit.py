"""The call's cockpit in the admin: /admin/calls/call/<id>/cockpit/, added to the call admin from here
(cohorts is above calls), with a link to it on each row of the call list."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.admin_access import organiser_admin_view
from calls.models import Call
from cohorts import cockpit
from cohorts.models import Stage
from cohorts.selectors import latest_run, locked_run
from cohorts.shortlist.admin import run_shortlist_action
from reviews.admin.actions import assign_reviewers_automatically

# Steps the cockpit carries out itself (POST), with the call admin's own actions.
ACTIONS = {"assign": assign_reviewers_automatically, "shortlist": run_shortlist_action}


def _admin_url(name: str, *args, query: str = "") -> str:
    """The admin page's address, or "" while the page does not exist (the step shows no button)."""
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return ""


def step_links(call) -> dict[str, str]:
    """Where each step's button goes (GET pages; the POST steps go through cockpit_action)."""
    run = latest_run(call)
    # The slot list filters on the call by its id ("call__id__exact", the admin's own filter).
    slots = f"?call__id__exact={call.pk}"
    final = None
    if call.has_interviews:
        # The final ranking's page once it ran; before, the locked review run's page runs it.
        final = latest_run(call, Stage.FINAL) or locked_run(call)
    return {
        "slots": _admin_url("admin:interviews_slot_changelist", query=slots),
        "invitations": reverse("admin:cohorts_call_dashboard", args=[call.pk]) + "#interviews-h",
        "bookings": _admin_url("admin:interviews_slot_changelist", query=slots + "&booked=yes"),
        "panel": _admin_url("admin:interviews_panelinterview_changelist", query=f"?call={call.pk}"),
        "final": _admin_url("admin:cohorts_shortlistrun_change", final.pk) if final else "",
        "follow": reverse("admin:reviews_reviewerprogress_changelist") + f"?call={call.pk}",
        "lock": reverse("admin:cohorts_shortlistrun_lock", args=[run.pk]) if run else "",
        "offers": reverse("admin:cohorts_call_offers", args=[call.pk]),
        "decisions": reverse("admin:cohorts_call_offers", args=[call.pk]) + "#decisions",
        "exports": reverse("admin:cohorts_call_exports", args=[call.pk]),
    }


# Further links under a step, added by apps above cohorts (reminders: "Remind reviewers…"):
# step key -> [(label, function of the call returning the URL, or "" when it does not apply)].
STEP_LINKS: dict[str, list[tuple]] = {}


def add_step_link(step: str, label, url_for) -> None:
    STEP_LINKS.setdefault(step, []).append((label, url_for))


BUTTONS = {
    "assign": gettext_lazy("Assign reviewers"),
    "follow": gettext_lazy("See the reviewers' progress"),
    "shortlist": gettext_lazy("Run the shortlist"),
    "slots": gettext_lazy("Go to the interview slots"),
    "lock": gettext_lazy("Review and lock…"),
    "invitations": gettext_lazy("See the invitations"),
    "bookings": gettext_lazy("See who has booked"),
    "panel": gettext_lazy("Go to the panel's interviews"),
    "final": gettext_lazy("Go to the final ranking"),
    "offers": gettext_lazy("Go to the offers"),
    "decisions": gettext_lazy("Go to the decision e-mails"),
    "exports": gettext_lazy("Go to the cohort lists"),
}


def cockpit_view(request, call_id):
    call = get_object_or_404(Call, pk=call_id)
    state = cockpit.cockpit(call)
    links = step_links(call)
    for step in state["steps"]:
        step.button = str(BUTTONS[step.key])
        step.post = step.key in ACTIONS
        step.url = (
            reverse("admin:calls_call_cockpit_action", args=[call.pk, step.key]) if step.post else links[step.key]
        )
        step.more = [(str(label), url) for label, url_for in STEP_LINKS.get(step.key, []) if (url := url_for(call))]
    context = {
        **admin.site.each_context(request),
        "title": _("Cockpit: %(call)s") % {"call": call.title},
        "call": call,
        "opts": Call._meta,
        **state,
    }
    return TemplateResponse(request, "admin/cohorts/cockpit.html", context)


@require_POST
def cockpit_action(request, call_id, step):
    if step not in ACTIONS:
        return HttpResponseRedirect(reverse("admin:calls_call_cockpit", args=[call_id]))
    call = get_object_or_404(Call, pk=call_id)
    call_admin = admin.site.get_model_admin(Call)
    response = ACTIONS[step](call_admin, request, Call.objects.filter(pk=call.pk))
    if response is not None:
        return response
    if not messages.get_messages(request):
        messages.success(request, _("Done."))
    return HttpResponseRedirect(reverse("admin:calls_call_cockpit", args=[call.pk]))


def cockpit_urls(call_admin):
    return [
        path("<int:call_id>/cockpit/", organiser_admin_view(cockpit_view), name="calls_call_cockpit"),
        path(
            "<int:call_id>/cockpit/<slug:step>/",
            organiser_admin_view(cockpit_action),
            name="calls_call_cockpit_action",
        ),
    ]


@admin.display(description=gettext_lazy("cockpit"))
def cockpit_link(call):
    url = reverse("admin:calls_call_cockpit", args=[call.pk])
    return format_html('<a href="{}">{}</a>', url, _("Open the cockpit"))
