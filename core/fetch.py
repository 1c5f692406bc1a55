"""Requests made by the pages' own scripts (fetch), which need a JSON answer instead of an HTML page.

A script cannot act on a redirect to the login page or on Django's CSRF error page: `fetch` follows
the redirect and gets a login form back. So for those requests an expired session or a refused
CSRF token is a small JSON body the script understands; plain browser requests (forms without
JavaScript) keep the usual redirect and page.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _


def wants_json(request) -> bool:
    """True for the portal's scripts: they send `Accept: application/json` or `X-Requested-With`."""
    return "application/json" in request.headers.get("Accept", "") or "X-Requested-With" in request.headers


def signed_out_response() -> JsonResponse:
    message = _(
        "You are logged out (your session has ended). Your text is kept on this page: "
        "log in again and it will be saved."
    )
    return JsonResponse(
        {"status": "signed_out", "message": message, "login_url": resolve_url(settings.LOGIN_URL)}, status=401
    )


def login_required_or_401(view):
    """Like `login_required`, but a script's request gets `401 {"status": "signed_out"}`."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if wants_json(request):
            return signed_out_response()
        return redirect_to_login(request.get_full_path())

    return wrapper
