"""What a request ended in, in the words of the matrix."""

from urllib.parse import urlsplit

from django.urls import reverse

LOGIN = "login"  # redirected to the founders' login page, with ?next= back here
ADMIN_LOGIN = "admin-login"  # redirected to the admin's login page, with ?next= back here
REDIRECT = "redirect"  # redirected anywhere else
ALLOWED = "allowed"  # (POST) the role may do this; what it does is tested elsewhere
DENIALS = {LOGIN, ADMIN_LOGIN, 403, 404}


def outcome(response):
    if response.status_code not in (301, 302, 303, 307, 308):
        return response.status_code
    location = urlsplit(response["Location"])
    if location.path == reverse("account_login") and "next=" in location.query:
        return LOGIN
    if location.path == reverse("admin:login") and "next=" in location.query:
        return ADMIN_LOGIN
    return REDIRECT
