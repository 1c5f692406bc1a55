"""Submit (owner only, before the deadline, once) and withdraw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import access, selectors
from applications.answers import read_back
from applications.completeness import missing_by_section, section_title
from applications.models import Status
from applications.services.errors import DeadlinePassed, Incomplete, NotAllowed, NotEditable
from applications.services.submission import SUBMITTABLE, WITHDRAWABLE, submit_application, withdraw_application
from applications.timefmt import deadline_text
from core.fetch import login_required_or_401, wants_json


def _titled(missing):
    return [(key, section_title(key), labels) for key, labels in missing.items()]


@login_required_or_401
def submit(request, pk):
    """GET: the application as reviewers will read it, what is still missing, and the button.

    POST: submit, checked on the server. Safe to repeat: a retried submit (after a network failure)
    of an application already submitted lands on its page with one confirmation e-mail in all.
    The page's script posts with fetch and gets {"status", "redirect"} instead of a redirect, so it
    can tell the founder whether the submit went through when the connection fails."""
    application = access.for_editor(request.user, pk)
    is_owner = access.is_owner(request.user, application)
    status = 200
    if request.method == "POST":
        result = _submit(request, application, is_owner)
        if result != "incomplete":
            return _went(request, result, application.get_absolute_url())
        if wants_json(request):
            return _went(request, result, request.path)
        status = 400
    now = timezone.now()
    team = list(application.team_members.all())
    missing = missing_by_section(application, team_count=len(team))
    context = {
        "application": application,
        "call": application.call,
        "now": now,
        "is_owner": is_owner,
        "missing": _titled(missing),
        "can_submit": application.status in SUBMITTABLE and application.call.is_open_at(now),
        "already_submitted": application.status == Status.SUBMITTED,
        # The whole application as its reviewers will read it, each section with a way back to the form.
        "answers": read_back(application, team, for_reviewers=True),
        "edit_links": selectors.is_editable_at(application, now),
    }
    return render(request, "applications/submit.html", context, status=status)


def _submit(request, application, is_owner) -> str:
    """Submit and say how it went, in the flash message and as a word for the script."""
    if not is_owner:
        messages.error(request, _("Only the person who started the application can submit it."))
        return "not_owner"
    try:
        _application, submitted_now = submit_application(application.pk, by=request.user)
    except DeadlinePassed:
        messages.error(
            request,
            _(
                "The deadline (%(deadline)s) has passed, so the application was not submitted. "
                "Your draft is kept as it was."
            )
            % {"deadline": deadline_text(application.call.closes_at, application.call.time_zone)},
        )
        return "deadline_passed"
    except NotEditable:
        messages.error(request, _("This application cannot be submitted in its current status."))
        return "not_editable"
    except NotAllowed:
        messages.error(request, _("Only the person who started the application can submit it."))
        return "not_owner"
    except Incomplete:
        messages.error(request, _("Not submitted yet: complete everything listed below, then submit again."))
        return "incomplete"
    if submitted_now:
        messages.success(
            request,
            _("Your application is submitted. A confirmation e-mail is on its way to every founder on it."),
        )
        return "submitted"
    messages.info(request, _("This application was already submitted; nothing more was needed."))
    return "already_submitted"


def _went(request, result: str, url: str):
    if wants_json(request):
        # The flash message stays in the session for the page the script opens next.
        return JsonResponse({"status": result, "redirect": url})
    return redirect(url)


@login_required
def withdraw(request, pk):
    application = access.for_editor(request.user, pk)
    is_owner = access.is_owner(request.user, application)
    if request.method == "POST":
        try:
            application, withdrawn_now = withdraw_application(application.pk, by=request.user)
        except NotAllowed:
            messages.error(request, _("Only the person who started the application can withdraw it."))
        except NotEditable:
            messages.error(request, _("This application cannot be withdrawn in its current status."))
        else:
            if withdrawn_now:
                messages.success(request, _("Your application is withdrawn. Reviewers will not consider it."))
        return redirect(application)
    context = {
        "application": application,
        "call": application.call,
        "is_owner": is_owner,
        "can_withdraw": is_owner and application.status in WITHDRAWABLE,
        "call_open": application.call.is_open,
    }
    return render(request, "applications/withdraw.html", context)
