"""Co-founders: invite, revoke, remove, leave, and the page an invitation link opens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from applications import access
from applications.forms import InviteForm
from applications.services import team
from applications.services.errors import InvitationError, NotAllowed

INVITE_ERRORS = {
    "self": gettext_lazy("That is your own address: you are already on this application."),
    "already_member": gettext_lazy("This person has already joined the application."),
    "too_many": gettext_lazy("An application can have at most %(n)s co-founders and open invitations."),
}

# What the invitation page says when a link cannot be used (shown to the person who clicked it).
INVITATION_PROBLEMS = {
    "revoked": gettext_lazy("This invitation was cancelled by the person who sent it. Ask them for a new one."),
    "used": gettext_lazy("This invitation has already been used. Each link works once; ask for a new one if needed."),
    "expired": gettext_lazy("This invitation has expired. Ask the person who invited you to send a new one."),
    "owner": gettext_lazy("You started this application yourself, so you already have access."),
    "wrong_account": gettext_lazy(
        "This invitation was sent to another e-mail address than the one of the account you are logged in with. "
        "Log out, then log in or sign up with the invited address."
    ),
    "other_application": gettext_lazy(
        "You are already on another application to this call. A person can be on only one application per call."
    ),
    "already_joined": gettext_lazy("You have already joined this application."),
}


def _to_people(application):
    return redirect(application.get_absolute_url() + "#people")


@login_required
@require_POST
def invite(request, pk):
    application = access.for_editor(request.user, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address to invite a co-founder."))
        return _to_people(application)
    email = form.cleaned_data["email"]
    try:
        team.invite(application.pk, by=request.user, email=email)
    except NotAllowed:
        messages.error(request, _("Only the person who started the application can invite co-founders."))
    except InvitationError as exc:
        text = INVITE_ERRORS.get(exc.code, _("This invitation could not be sent."))
        messages.error(request, str(text) % {"n": team.MAX_COFOUNDERS} if exc.code == "too_many" else text)
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": email})
    return _to_people(application)


def _owner_change(request, pk, change, target_pk, *, refused: str, done: str):
    """`change(application, target)` is the owner's to make; say how it went, back on the people section."""
    application = access.for_editor(request.user, pk)
    try:
        change(application.pk, target_pk, by=request.user)
    except NotAllowed:
        messages.error(request, refused)
    else:
        messages.success(request, done)
    return _to_people(application)


@login_required
@require_POST
def revoke_invitation(request, pk, invitation_pk):
    return _owner_change(
        request,
        pk,
        team.revoke_invitation,
        invitation_pk,
        refused=_("Only the person who started the application can cancel invitations."),
        done=_("Invitation cancelled: its link no longer works."),
    )


@login_required
@require_POST
def remove_member(request, pk, member_pk):
    return _owner_change(
        request,
        pk,
        team.remove_member,
        member_pk,
        refused=_("Only the person who started the application can remove co-founders."),
        done=_("Co-founder removed: they no longer have access to this application."),
    )


@login_required
@require_POST
def leave(request, pk):
    application = access.for_editor(request.user, pk)
    if access.is_owner(request.user, application):
        messages.error(request, _("You started this application: you cannot leave it."))
        return redirect(application)
    team.leave(application.pk, by=request.user)
    messages.success(request, _("You left the application."))
    return redirect("applications:list")


def invitation(request, token):
    """Anyone with the link sees who invited them; joining needs an account with the invited address."""
    found = team.invitation_by_token(token)
    if found is None:
        raise Http404
    now = timezone.now()
    problem = team.invitation_problem(found, request.user, now)
    if request.method == "POST" and request.user.is_authenticated and not problem:
        try:
            application = team.accept_invitation(token, by=request.user, now=now)
        except InvitationError as exc:
            problem = exc.code
        else:
            messages.success(request, _("Welcome! You can now edit this application with your co-founders."))
            return redirect(application)
    if problem == "already_joined":
        messages.info(request, INVITATION_PROBLEMS[problem])
        return redirect(found.application)
    context = {
        "invitation": found,
        "application": found.application,
        "problem": INVITATION_PROBLEMS.get(problem, ""),
        "problem_code": problem,
    }
    return render(request, "applications/invitation.html", context, status=403 if problem else 200)
