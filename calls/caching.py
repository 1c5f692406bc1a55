"""The calls' part of the page cache: the landing page, and call descriptions rendered once."""

from accelerator import cache, pagecache

# Generation of everything the landing page shows of calls (see accelerator.cache). Partners and
# rubric criteria belong to a call's public face too: changing them renews it as well.
PUBLIC_CALLS = "generation:public-calls"


def landing_key(request) -> str:
    return f"page:home:{pagecache.visitor_key(request)}"


def landing_valid_until(calls, now):
    """Until a call changes state or a countdown on its card ticks over."""
    moments = [m for c in calls for m in (c.opens_at, c.closes_at, c.review_deadline, c.decided_at)]
    return pagecache.next_change(now, moments=moments, countdowns=[m for c in calls for m in (c.opens_at, c.closes_at)])


def public_calls_changed() -> None:
    cache.mark_changing(PUBLIC_CALLS)
