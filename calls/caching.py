"""The calls' part of the page cache: the landing page, and call descriptions rendered once."""

from accelerator import pagecache
from core import cache

# Generation of everything the landing page shows of calls (see core.cache). Partners and
# rubric criteria belong to a call's public face too: changing them renews it as well.
PUBLIC_CALLS = "generation:public-calls"


def landing_key(request) -> str:
    return landing_key_of(pagecache.visitor_key(request))


def landing_key_of(visitor_key: str) -> str:
    return f"page:home:{visitor_key}"


def keys_to_read_ahead(*, user_id, language) -> list[str]:
    """The cache keys the landing page reads for a signed-in visitor, fetched with the user."""
    return [PUBLIC_CALLS, landing_key_of(pagecache.visitor_key_of(language, user_id))]


def landing_valid_until(calls, now):
    """Until a call changes state or a countdown on its card ticks over."""
    moments = [m for c in calls for m in (c.opens_at, c.closes_at, c.review_deadline, c.decided_at)]
    return pagecache.next_change(now, moments=moments, countdowns=[m for c in calls for m in (c.opens_at, c.closes_at)])


def public_calls_changed() -> None:
    cache.mark_changing(PUBLIC_CALLS)
