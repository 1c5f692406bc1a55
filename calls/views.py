from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from accelerator import pagecache
from calls import caching, selectors


def home(request):
    now = timezone.now()

    def page(extra):
        current, archive = selectors.public_calls(now)
        context = {"current_calls": current, "archive": archive, "now": now, **extra}
        html = render_to_string("calls/home.html", context, request)
        return html, caching.landing_valid_until(current + archive, now)

    return pagecache.cached_page(
        request,
        now=now,
        key=caching.landing_key(request),
        generation_keys=[caching.PUBLIC_CALLS],
        version=pagecache.visitor(request),
        render=page,
    )


def call_detail(request, slug):
    call = selectors.call_by_slug(slug)
    return render(request, "calls/detail.html", {"call": call, "state": call.phase, "now": timezone.now()})
