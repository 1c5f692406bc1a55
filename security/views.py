"""Second-factor pages for staff, and the page shown when sign-in is paused after failures."""

import math

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from security import selectors, services
from security.client import login_identifier, throttle_address
from security.forms import TokenForm


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _code_accepted(request, form: TokenForm, check, device) -> bool:
    """Whether a code was posted and `check` (verify or confirm_enrolment) took it; a refusal becomes a form error."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        check(request, device, form.cleaned_data["token"])
    except services.TokenRejected as rejected:
        form.add_error("token", str(rejected))
        return False
    return True


@never_cache
@sensitive_post_parameters("token")
@login_required
def mfa_verify(request):
    next_url = _next_url(request)
    if not selectors.mfa_pending(request.user):
        return redirect(next_url if selectors.is_staff_account(request.user) else "home")
    device = selectors.confirmed_device(request.user)
    if device is None:
        return redirect(_with_next("security:mfa_setup", next_url))
    form = TokenForm(request.POST or None)
    if _code_accepted(request, form, services.verify, device):
        return redirect(next_url)
    return render(request, "security/mfa_verify.html", {"form": form, "next": next_url})


@never_cache
@sensitive_post_parameters("token")
@login_required
def mfa_setup(request):
    next_url = _next_url(request)
    if not selectors.is_staff_account(request.user):
        return redirect("home")
    if selectors.confirmed_device(request.user) is not None:
        # Replacing a device goes through an organiser (who removes the old one), never through a
        # session that only knows the password.
        return redirect(_with_next("security:mfa_verify", next_url))
    device = services.pending_device(request.user)
    form = TokenForm(request.POST or None)
    if _code_accepted(request, form, services.confirm_enrolment, device):
        messages.success(request, _("Two-factor authentication is on. You will enter a code each time you log in."))
        return redirect(next_url)
    context = {
        "form": form,
        "next": next_url,
        "qr_code": services.qr_code_data_uri(device),
        "secret": services.secret_for_display(device),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return render(request, "security/mfa_setup.html", context)


def lockout(request, original_response=None, credentials=None):
    """Answer to a login attempt while (identifier, address) is locked: when it ends, what to do."""
    cool_off = get_cool_off(request)
    identifier = login_identifier(request, credentials)
    last_failure = (
        AccessAttempt.objects.filter(username=identifier, ip_address=throttle_address(request))
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    ends_at = (last_failure or timezone.now()) + cool_off
    seconds_left = max(math.ceil((ends_at - timezone.now()).total_seconds()), 1)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": int(cool_off.total_seconds() // 60),
        "ends_at": ends_at,
    }
    response = render(request, "security/lockout.html", context, status=429)
    response["Retry-After"] = str(seconds_left)
    return response
