"""accelerator.csrf.masked_token: Django's get_token, cheaper, accepted by Django's CSRF check."""

from collections import Counter

import pytest
from django.http import HttpResponse
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CSRF_TOKEN_LENGTH,
    CsrfViewMiddleware,
    _unmask_cipher_token,
)
from django.test import RequestFactory

from accelerator import csrf

SECRET = "abcdefghijABCDEFGHIJ0123456789xy"


def request_with_cookie(secret=SECRET, method="get", **data):
    request = getattr(RequestFactory(), method)("/", data)
    request.COOKIES["csrftoken"] = secret
    CsrfViewMiddleware(lambda r: HttpResponse()).process_request(request)
    return request


def test_the_token_unmasks_to_the_cookie_secret_and_renews_the_cookie():
    request = request_with_cookie()
    tokens = {csrf.masked_token(request) for _ in range(50)}
    assert len(tokens) == 50  # a new mask every time (BREACH)
    for token in tokens:
        assert len(token) == CSRF_TOKEN_LENGTH and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == SECRET
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_django_accepts_it_on_a_post():
    token = csrf.masked_token(request_with_cookie())
    post = request_with_cookie(method="post", csrfmiddlewaretoken=token)
    middleware = CsrfViewMiddleware(lambda r: HttpResponse())
    assert middleware.process_view(post, lambda r: HttpResponse(), (), {}) is None
    forged = request_with_cookie(method="post", csrfmiddlewaretoken=token[::-1])
    assert middleware.process_view(forged, lambda r: HttpResponse(), (), {}).status_code == 403


@pytest.mark.parametrize("cookie", [None, "too-short", "!" * CSRF_SECRET_LENGTH])
def test_without_a_valid_cookie_django_makes_the_secret(cookie):
    request = RequestFactory().get("/")
    if cookie is not None:
        request.COOKIES["csrftoken"] = cookie
    CsrfViewMiddleware(lambda r: HttpResponse()).process_request(request)
    token = csrf.masked_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert secret != cookie and len(secret) == CSRF_SECRET_LENGTH
    assert _unmask_cipher_token(token) == secret


def test_the_mask_uses_every_character_about_evenly():
    counts = Counter("".join(csrf.random_mask() for _ in range(4000)))
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    expected = 4000 * CSRF_SECRET_LENGTH / len(CSRF_ALLOWED_CHARS)  # about 2065 each
    # A bias of 256 % 62 (bytes mapped modulo 62 without redrawing) would give the first 8 characters
    # about 5/4 of the others' share; this bound is about 7 standard deviations either way.
    assert all(abs(n - expected) < 320 for n in counts.values()), counts.most_common(3)
