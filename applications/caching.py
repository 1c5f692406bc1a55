"""The founder's application page in the page cache (see accelerator.pagecache).

Its entries are keyed by application, visitor and language, and versioned by the row the
permission check reads on every request (owner, version, status, last save, the call's last save:
applications.selectors.founder_page_version) and by the application's generation, marked as
changing (applications.signals, cohorts.signals) when its team, co-founders, invitations, offer,
or the name of someone on it changes.

A signed-in founder's request reads the page's generation and entry together with the user
(accelerator.pagecache.read_ahead): one round trip to the cache fewer. The permission check is
still the database's, on every request.
"""

from django.db.models import Q

from accelerator import cache, pagecache
from applications.models import Application

# What "Who can edit" and the co-founder badge show of a person.
SHOWN_USER_FIELDS = frozenset({"first_name", "last_name", "email", "username"})


def generation_key(application_id) -> str:
    return f"generation:application:{application_id}"


def page_key(request, application_id) -> str:
    return page_key_of(application_id, pagecache.visitor_key(request))


def page_key_of(application_id, visitor_key: str) -> str:
    return f"page:application:{application_id}:{visitor_key}"


# The path of views_founder.detail (tests/applications/test_page_read_ahead.py checks it against the URLconf).
PAGE_PATH = r"/applications/(?P<pk>[0-9]+)/"


def keys_to_read_ahead(*, user_id, language, pk) -> list[str]:
    """The cache keys cached_page reads for this page, fetched with the user (accounts.user_cache)."""
    return [generation_key(int(pk)), page_key_of(int(pk), pagecache.visitor_key_of(language, user_id))]


def valid_until(application: Application, invitations, now):
    """Until the call opens or closes, an invitation expires, or the time left ticks over."""
    call = application.call
    moments = [call.opens_at, call.closes_at, *(invitation.expires_at for invitation in invitations)]
    return pagecache.next_change(now, moments=moments, countdowns=[call.closes_at])


def application_changed(application_id) -> None:
    if application_id is not None:
        cache.mark_changing(generation_key(application_id))


def person_changed(user, update_fields=None) -> None:
    """A person's name or address shows on the applications they own or joined."""
    if update_fields is not None and not SHOWN_USER_FIELDS & set(update_fields):
        return  # e.g. last_login at each sign-in
    ids = set(Application.objects.filter(Q(owner=user) | Q(memberships__user=user)).values_list("pk", flat=True))
    if ids:
        cache.mark_changing(*map(generation_key, ids))  # one round trip for all of them
