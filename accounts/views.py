from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts import contact
from accounts.forms import PreferencesForm
from accounts.services import save_language


@require_POST
def set_language(request):
    """Django's language switcher, which also remembers the choice on the signed-in account."""
    response = django_set_language(request)
    code = request.POST.get("language", "")
    if request.user.is_authenticated and translation.check_for_language(code):
        save_language(request.user, code)
    return response


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.language)
        messages.success(request, _("Your preferences are saved."))
        return redirect("accounts:preferences")
    return render(request, "accounts/preferences.html", {"form": form})


def privacy(request):
    context = {
        "contact": contact.address(),
        "draft_retention_months": settings.DRAFT_RETENTION_MONTHS,
        "login_retention_days": settings.LOGIN_LOG_RETENTION_DAYS,
    }
    return render(request, "accounts/privacy.html", context)
