"""Error pages: the portal's look for visitors and founders, the admin's frame for staff in the admin.

400 and 500 are Django's own views (their templates render without a request, so nothing on them
can fail); 403 and 404 pick the frame from who asks and where.
"""

from django.contrib import admin
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import csrf, defaults

from accounts.roles import is_reviewer
from core.fetch import wants_json


def _in_admin(request) -> bool:
    user = getattr(request, "user", None)
    staff = bool(user and user.is_active and user.is_staff)
    return staff and request.path.startswith(reverse("admin:index"))


def permission_denied(request, exception=None):
    if _in_admin(request):
        context = {**admin.site.each_context(request), "is_reviewer": is_reviewer(request.user)}
        return render(request, "admin/403.html", context, status=403)
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    if _in_admin(request):
        return render(request, "admin/404.html", admin.site.each_context(request), status=404)
    return defaults.page_not_found(request, exception)


def favicon(request):
    """Browsers that ask for /favicon.ico without reading the page's icon link."""
    return HttpResponseRedirect(static("favicon.svg"))


def csrf_failure(request, reason=""):
    """A refused CSRF token: JSON for the pages' scripts (the token rotates at login), Django's page otherwise."""
    if wants_json(request):
        message = _("This page's security token has expired. Log in again or reload the page; your text is kept.")
        return JsonResponse({"status": "csrf", "message": message}, status=403)
    return csrf.csrf_failure(request, reason=reason)
