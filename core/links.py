"""Addresses in e-mails: always on the portal's own origin, SITE_URL.

E-mails are read away from the request that caused them (a sweep, a worker, an organiser's
action), so no link is built from a request's host: `make run` sets SITE_URL from PORT, and
production sets it to the public address.
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute(path: str) -> str:
    """`/applications/3/` -> `https://apply.example.org/applications/3/`."""
    return settings.SITE_URL + path


def on_portal(url: str) -> str:
    """The same page on the portal's origin: a link built by a library from the request's host
    (`http://testserver/accounts/signup/`) keeps its path, query and fragment."""
    parts = urlsplit(url)
    if not parts.scheme:
        return absolute(url) if url.startswith("/") else url
    path = parts.path or "/"
    return (
        absolute(path) + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    )
