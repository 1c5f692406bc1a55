"""Whole pages kept in the cache and served again to the same visitor until their data or the clock
changes what they show.

What belongs to one request only is never stored: the CSRF token and the CSP nonce are stored as
marks and filled in for each response (the token from this visitor's own CSRF cookie), and a
request with a query string or with a message waiting to be shown is rendered as usual. A page
served from the cache does not send the CSRF cookie again: Django sends it with every page that
uses a token only to push its one-year expiry on, which every page built afresh still does (this
one at least every MAX_AGE of use, every other page each time). Entries are per visitor
(anonymous visitors share one) and language; whoever may see a page is decided by the view's
check() (see cached_page), which only the view may excuse for an entry it trusts.
"""

import datetime as dt
import re
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.utils import translation
from django.utils.safestring import mark_safe

from accelerator.csrf import masked_token
from core import cache

# Escaped wherever people type text, so no answer of a founder can contain them.
CSRF_MARK = mark_safe("<!--csrf-token-->")
NONCE_MARK = "<!--csp-nonce-->"
# However stable the data, a cached page is rebuilt at least this often.
MAX_AGE = dt.timedelta(minutes=5)
MINUTE = dt.timedelta(minutes=1)


def _plain_get(request) -> bool:
    return request.method in ("GET", "HEAD") and not request.META.get("QUERY_STRING")


def cacheable(request) -> bool:
    """A plain GET that shows nothing particular to this request: no query string, no message."""
    # len() loads the waiting messages without marking them shown.
    return _plain_get(request) and len(messages.get_messages(request)) == 0


def visitor(request) -> tuple:
    """What the page frame shows of the visitor (navigation, language), for the entry's version."""
    user = request.user
    who = (user.pk, user.email, user.get_full_name(), user.is_staff) if user.is_authenticated else None
    return (who, translation.get_language(), request.get_host(), request.path)


def visitor_key(request) -> str:
    user = request.user
    return visitor_key_of(translation.get_language(), user.pk if user.is_authenticated else None)


def visitor_key_of(language, user_id) -> str:
    return f"{language}:{'anonymous' if user_id is None else user_id}"


# Pages whose cache keys are read together with the signed-in user's entry (accounts.user_cache),
# in one round trip to the cache instead of two: (path pattern, keys_of(user_id, language, **groups)).
_read_ahead: list[tuple[re.Pattern, Callable[..., list[str]]]] = []


def read_ahead(path_pattern: str, keys_of: Callable[..., list[str]]) -> None:
    """Registers a page for keys_to_read_ahead. keys_of gets the session's user id (the string the
    session holds), the language active when the user is loaded (before accounts.middleware may
    switch to the user's own: then the keys differ and the page reads its own) and the pattern's
    named groups."""
    _read_ahead.append((re.compile(path_pattern), keys_of))


def keys_to_read_ahead(request, user_id) -> list[str]:
    if not _plain_get(request):
        return []  # never served from the cache (cacheable); messages are not loaded this early
    for pattern, keys_of in _read_ahead:
        match = pattern.fullmatch(request.path_info)
        if match:
            return keys_of(user_id=user_id, language=translation.get_language(), **match.groupdict())
    return []


def next_change(now, *, moments=(), countdowns=()) -> dt.datetime:
    """The first instant after now when a page may read differently: one of `moments` passes (a call
    opens or closes), or a countdown to one of `countdowns` ("3 hours, 5 minutes left") ticks over."""
    until = now + MAX_AGE
    for moment in moments:
        if moment is not None and moment > now:
            until = min(until, moment)
    for moment in countdowns:
        if moment is not None and moment > now:
            until = min(until, now + (moment - now) % MINUTE)
    return until


def cached_page(
    request,
    *,
    now,
    key: str,
    generation_keys: list[str],
    version: tuple,
    render,
    check: Callable[[], tuple] | None = None,
    trust: Callable[[tuple], bool] | None = None,
) -> HttpResponse:
    """The page stored under key if it was built from the current generations of its data, for this
    version (what else it shows) and is still valid at now; otherwise render(extra_context), which
    returns (html, valid_until), is called and its page stored.

    check(), when given, is the database's answer for this visitor: it raises Http404 for someone
    who may not see the page, and returns the row the stored page must match. It is asked on every
    request, except when trust(row the entry was built with) says the entry needs no asking."""
    if not cacheable(request):
        return _render(request, check, render)
    try:
        found = cache.get_many_read_ahead(request, [*generation_keys, key])
    except cache.Unavailable:
        return _render(request, check, render)
    generations = [found.get(generation_key) for generation_key in generation_keys]
    entry = found.get(key)
    valid = (
        all(map(cache.is_settled, generations))
        and entry is not None
        and len(entry) == 4
        and entry[0] == (*generations, *version)
        and now < entry[1]
    )
    if valid and trust is not None and trust(entry[3]):
        return HttpResponse(_fill(entry[2], request, renew_csrf_cookie=False))
    row = check() if check is not None else None
    if valid and entry[3] == row:
        return HttpResponse(_fill(entry[2], request, renew_csrf_cookie=False))

    nonce_before = getattr(request, "_csp_nonce", None)
    html, until = render({"csrf_token": CSRF_MARK})
    for i, generation in enumerate(generations):
        if generation is None:
            # None if a change was marked meanwhile (the mark holds the key): then nothing is stored.
            generations[i] = cache.start_generation(generation_keys[i])
    until = min(until, now + MAX_AGE)
    if all(map(cache.is_settled, generations)) and until > now:
        stored = html
        nonce = getattr(request, "_csp_nonce", None)
        if isinstance(nonce, str) and nonce != nonce_before:
            stored = html.replace(nonce, NONCE_MARK)
        cache.put(key, ((*generations, *version), until, stored, row), (until - now).total_seconds())
    return HttpResponse(_fill(html, request))


def _render(request, check, render) -> HttpResponse:
    if check is not None:
        check()
    html, _until = render({})
    return HttpResponse(html)


def _fill(html: str, request, *, renew_csrf_cookie: bool = True) -> str:
    if CSRF_MARK in html:
        html = html.replace(CSRF_MARK, masked_token(request, renew_cookie=renew_csrf_cookie))
    if NONCE_MARK in html:
        html = html.replace(NONCE_MARK, str(request.csp_nonce))
    return html
