"""A page that uses a CSP nonce, served through accelerator.pagecache (tests/core/test_pagecache.py)."""

from django.template import engines
from django.urls import path
from django.utils import timezone

from accelerator import pagecache

TEMPLATE = engines["django"].from_string(
    '<form method="post">{% csrf_token %}</form><script nonce="{{ request.csp_nonce }}">1</script>'
)
GENERATION = "generation:test-nonce-page"


def nonce_page(request):
    now = timezone.now()
    return pagecache.cached_page(
        request,
        now=now,
        key=f"page:test-nonce:{pagecache.visitor_key(request)}",
        generation_keys=[GENERATION],
        version=pagecache.visitor(request),
        render=lambda extra: (TEMPLATE.render(extra, request), now + pagecache.MAX_AGE),
    )


urlpatterns = [path("nonce/", nonce_page)]
