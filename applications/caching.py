"""The founder's application page in the page cache (see accelerator.pagecache).

Its entries are keyed by application, visitor and language. An entry is valid while the
generations it was built from stay current (generation_keys): the application's own, marked as
changing (applications.signals, cohorts.signals) whenever the application, its status history,
team, co-founders, invitations or offer, or the name of someone on it changes; the bulk one, marked
by any update() of applications (applications.models); and the calls' (calls.signals).

Who may see the page is the database's answer (applications.selectors.founder_page_version), asked
whenever the page is built. A co-founder's cached page asks it again on every request, since the
owner can remove them at any time. The owner's does not: nothing in the portal reassigns an
application, and the admin's change form or an update() that did would mark the generations above,
so the entry built for them after the database said "owner" holds only while that is true.

A signed-in founder's request reads the page's generations and entry together with the session
and the user (accelerator.pagecache.read_ahead, accounts.user_cache): one round trip to the cache.
"""

from django.db.models import Q

from accelerator import pagecache
from applications.models import Application
from calls.caching import PUBLIC_CALLS
from core import cache

# What "Who can edit" and the co-founder badge show of a person.
SHOWN_USER_FIELDS = frozenset({"first_name", "last_name", "email", "username"})


def generation_key(application_id) -> str:
    return f"generation:application:{application_id}"


# Marked by an update() of many applications at once (applications.models.ApplicationQuerySet),
# such as locking a shortlist: one cache write instead of one per application.
BULK_GENERATION = "generation:applications"


def generation_keys(application_id) -> list[str]:
    """Everything an application page's entry depends on: its own generation, bulk updates of
    applications, and the calls (calls.caching.PUBLIC_CALLS: any call, partner or criterion saved)."""
    return [generation_key(application_id), BULK_GENERATION, PUBLIC_CALLS]


def page_key(request, application_id) -> str:
    return page_key_of(application_id, pagecache.visitor_key(request))


def page_key_of(application_id, visitor_key: str) -> str:
    return f"page:application:{application_id}:{visitor_key}"


# The path of views_founder.detail (tests/applications/test_page_read_ahead.py checks it against the URLconf).
PAGE_PATH = r"/applications/(?P<pk>[0-9]+)/"


def keys_to_read_ahead(*, user_id, language, pk) -> list[str]:
    """The cache keys cached_page reads for this page, fetched with the user (accounts.user_cache)."""
    return [*generation_keys(int(pk)), page_key_of(int(pk), pagecache.visitor_key_of(language, user_id))]


def valid_until(application: Application, invitations, now):
    """Until the call opens or closes, an invitation expires, or the time left ticks over."""
    call = application.call
    moments = [call.opens_at, call.closes_at, *(invitation.expires_at for invitation in invitations)]
    return pagecache.next_change(now, moments=moments, countdowns=[call.closes_at])


def application_changed(*application_ids) -> None:
    keys = [generation_key(pk) for pk in application_ids if pk is not None]
    if keys:
        cache.mark_changing(*keys)


def applications_changed_in_bulk() -> None:
    cache.mark_changing(BULK_GENERATION)


def person_changed(user, update_fields=None) -> None:
    """A person's name or address shows on the applications they own or joined."""
    if update_fields is not None and not SHOWN_USER_FIELDS & set(update_fields):
        return  # e.g. last_login at each sign-in
    ids = set(Application.objects.filter(Q(owner=user) | Q(memberships__user=user)).values_list("pk", flat=True))
    if ids:
        cache.mark_changing(*map(generation_key, ids))  # one round trip for all of them
