"""Session rules for staff (reviewers and organisers): idle timeout and the second factor.

Founders are not concerned: their sessions keep Django's defaults.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from security import selectors

LAST_ACTIVITY_KEY = "staff_last_activity"
# Recording activity at most once a minute spares a session write on every admin request.
ACTIVITY_WRITE_INTERVAL = 60

# Pages an unverified staff member may still open: the second-factor pages themselves, the way
# out, and what every page needs.
MFA_EXEMPT_VIEWS = {
    "security:mfa_verify",
    "security:mfa_setup",
    "admin:logout",
    "account_logout",
    "set_language",
    "healthz",
}


class StaffIdleTimeoutMiddleware:
    """Signs staff out after STAFF_IDLE_TIMEOUT_MINUTES without a request.

    The session's own expiry follows the same clock (plus one write interval), so even a session
    that never comes back through this middleware dies on the server.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if selectors.is_staff_account(user):
            timeout = settings.STAFF_IDLE_TIMEOUT_MINUTES * 60
            interval = min(ACTIVITY_WRITE_INTERVAL, max(timeout // 2, 1))
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if isinstance(last, int) and now - last > timeout:
                logout(request)
                messages.info(
                    request,
                    _("You were logged out after %(minutes)d minutes without activity. Please log in again.")
                    % {"minutes": settings.STAFF_IDLE_TIMEOUT_MINUTES},
                )
                # Staff sign in again where they were working: the admin has its own login page.
                in_admin = request.path.startswith(reverse("admin:index"))
                login_url = reverse("admin:login") if in_admin else None
                return redirect_to_login(request.get_full_path(), login_url=login_url)
            if not isinstance(last, int) or now - last >= interval:
                request.session[LAST_ACTIVITY_KEY] = now
                request.session.set_expiry(timeout + interval)
        return self.get_response(request)


class StaffMFAMiddleware:
    """While REQUIRE_STAFF_MFA is on, staff who signed in with a password only are sent to the
    second-factor page (or to enrolment if they have no device yet) before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if selectors.mfa_pending(request.user) and not self._exempt(request):
            target = "security:mfa_verify" if selectors.confirmed_device(request.user) else "security:mfa_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True  # a 404 reveals nothing
        return match.view_name in MFA_EXEMPT_VIEWS
