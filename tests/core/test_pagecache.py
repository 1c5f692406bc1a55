"""accelerator.pagecache: what belongs to one response is never served to another."""

import re

import pytest
from csp.constants import NONCE, SELF
from django.core.cache import cache
from django.test import Client

from accelerator import pagecache
from tests.cache_helpers import csrf_token_in

pytestmark = pytest.mark.django_db


def nonce_and_header(response):
    html = response.content.decode()
    (nonce,) = re.findall(r'<script nonce="([^"]+)">', html)
    return nonce, response["Content-Security-Policy"]


def test_a_cached_page_gets_a_new_csp_nonce_in_the_page_and_the_header(settings):
    settings.ROOT_URLCONF = "tests.core.pagecache_urls"
    policy = settings.CONTENT_SECURITY_POLICY
    directives = policy["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": {**directives, "script-src": [SELF, NONCE]}}
    client = Client()
    first = client.get("/nonce/")
    _version, _until, stored, _row = cache.get("page:test-nonce:en:anonymous")
    assert pagecache.NONCE_MARK in stored and nonce_and_header(first)[0] not in stored
    assert str(pagecache.CSRF_MARK) in stored
    second = client.get("/nonce/")  # from the cache
    for response in (first, second):
        nonce, header = nonce_and_header(response)
        assert f"'nonce-{nonce}'" in header
        assert pagecache.NONCE_MARK not in response.content.decode()
    assert nonce_and_header(first)[0] != nonce_and_header(second)[0]


def test_a_cached_page_carries_the_csrf_token_of_each_visitor(settings):
    settings.ROOT_URLCONF = "tests.core.pagecache_urls"
    one, two = Client(), Client()
    token_one = csrf_token_in(one.get("/nonce/").content.decode())
    token_two = csrf_token_in(two.get("/nonce/").content.decode())
    assert token_one != token_two
    assert one.cookies["csrftoken"].value != two.cookies["csrftoken"].value


def test_next_change_is_the_next_minute_of_a_countdown_or_a_moment():
    import datetime as dt

    now = dt.datetime(2026, 12, 1, 12, 0, 0, tzinfo=dt.UTC)
    deadline = now + dt.timedelta(hours=3, seconds=20)
    assert pagecache.next_change(now, countdowns=[deadline]) == now + dt.timedelta(seconds=20)
    assert pagecache.next_change(now, moments=[now + dt.timedelta(seconds=5)]) == now + dt.timedelta(seconds=5)
    assert pagecache.next_change(now, moments=[now - dt.timedelta(days=1)]) == now + pagecache.MAX_AGE


def test_a_page_from_the_cache_does_not_send_the_csrf_cookie_again(settings):
    """Django sends it with every page that uses a token, only to push its expiry on; a page built
    afresh still does. The token in the cached page is the visitor's own and is accepted."""
    settings.ROOT_URLCONF = "tests.core.pagecache_urls"
    client = Client(enforce_csrf_checks=True)
    built = client.get("/nonce/")
    assert "csrftoken" in built.cookies
    served = client.get("/nonce/")
    assert served.context is None, "served from the cache"
    assert "csrftoken" not in served.cookies
    token = csrf_token_in(served.content.decode())
    assert client.post("/nonce/", {"csrfmiddlewaretoken": token}).status_code != 403
    assert client.post("/nonce/", {"csrfmiddlewaretoken": token[::-1]}).status_code == 403
