"""Founders' own data: download it all, or delete the account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from privacy import export as data_export
from privacy import selectors
from privacy.forms import DeleteAccountForm
from privacy.services import ErasureRefused, erase_account


@login_required
def my_data(request):
    return render(request, "privacy/data.html", {"plan": selectors.erasure_plan(request.user)})


@never_cache
@login_required
def export(request):
    """One ZIP: data.json with the account, applications, team, history and e-mails, plus the decks."""
    archive = data_export.build_archive(request.user)
    response = FileResponse(
        archive, as_attachment=True, filename=data_export.archive_name(), content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
def delete_account(request):
    """GET: what deleting does, and the password field. POST: delete, then sign out."""
    user = request.user
    plan = selectors.erasure_plan(user)
    form = DeleteAccountForm(request.POST or None, request=request)
    status = 200
    if request.method == "POST":
        if user.is_staff or user.is_superuser:
            messages.error(request, _("Staff accounts are closed by an organiser in the admin, not here."))
            return redirect("privacy:delete")
        if plan.blocked:
            return render(request, "privacy/delete.html", {"plan": plan, "form": form}, status=409)
        if form.is_valid():
            try:
                erase_account(user.pk)
            except ErasureRefused:
                # An offer arrived between the page and the click: show the page again, which says so.
                plan = selectors.erasure_plan(user)
                return render(request, "privacy/delete.html", {"plan": plan, "form": form}, status=409)
            logout(request)
            messages.success(
                request,
                _("Your account is deleted. Your personal data is erased; we will not write to you again."),
            )
            return redirect("home")
        status = 400
    return render(request, "privacy/delete.html", {"plan": plan, "form": form}, status=status)
