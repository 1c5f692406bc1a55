"""Founders' own pages: their list, starting an application, the application page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import access, selectors
from applications.answers import read_back
from applications.forms import InviteForm
from applications.services.drafts import start_application
from applications.services.errors import DeadlinePassed
from calls.selectors import call_by_slug, open_calls


@login_required
def application_list(request):
    now = timezone.now()
    applications = list(selectors.applications_of(request.user))
    rows = [
        {
            "application": app,
            "is_owner": access.is_owner(request.user, app),
            "sections": selectors.section_states(app, team_count=app.team_count),
            "editable": selectors.is_editable_at(app, now),
        }
        for app in applications
    ]
    for row in rows:
        row["complete_count"] = sum(s.complete for s in row["sections"])
    applied_calls = {app.call_id for app in applications}
    calls = [call for call in open_calls(now).order_by("closes_at") if call.pk not in applied_calls]
    return render(request, "applications/list.html", {"rows": rows, "open_calls": calls, "now": now})


@login_required
def start(request, slug):
    """GET explains what the form asks and offers to start; POST creates the draft (once)."""
    call = call_by_slug(slug)
    existing = selectors.application_for_call(request.user, call)
    if existing is not None:
        messages.info(request, _("You already have an application to this call: here it is."))
        return redirect(existing)
    now = timezone.now()
    if not call.is_open_at(now):
        messages.error(request, _("This call is not open for applications."))
        return redirect(call)
    if request.method == "POST":
        try:
            application, _created = start_application(call, by=request.user, now=now)
        except DeadlinePassed:
            messages.error(request, _("This call is not open for applications."))
            return redirect(call)
        messages.success(request, _("Your draft is created. It saves as you type; come back to it at any time."))
        return redirect("applications:edit", pk=application.pk)
    return render(request, "applications/start.html", {"call": call, "now": now})


@login_required
def detail(request, pk):
    application = access.for_editor(request.user, pk)
    return render(request, "applications/detail.html", _detail_context(request, application, timezone.now()))


def _detail_context(request, application, now) -> dict:
    team = list(application.team_members.all())
    members, invitations = selectors.people_of(application)
    is_owner = access.is_owner(request.user, application)
    sections = selectors.section_states(application, team_count=len(team))
    return {
        "application": application,
        "call": application.call,
        "now": now,
        "is_owner": is_owner,
        "editable": selectors.is_editable_at(application, now),
        "call_open": application.call.is_open_at(now),
        "sections": sections,
        "complete_count": sum(s.complete for s in sections),
        "answers": read_back(application, team),
        "members": members,
        "invitations": invitations,
        "invite_form": InviteForm() if is_owner else None,
        "history": list(application.status_changes.all()),
        "invitation_days": settings.INVITATION_VALID_DAYS,
    }
