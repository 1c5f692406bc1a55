"""Django's get_token(), with the mask drawn from one os.urandom call instead of 32 secrets.choice.

A page served from the page cache gets a freshly masked CSRF token in every response (see
accelerator.pagecache). Django draws its mask one character at a time through secrets.choice, and
finds each character's index with str.index: about 40 µs of CPU, a tenth of what serving such a
page costs besides the session. The token is the same kind: a uniformly random mask of
CSRF_ALLOWED_CHARS followed by the secret shifted by it, which Django's CsrfViewMiddleware unmasks
(tests/core/test_csrf_token.py posts with it).
"""

import os

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token

INDEX = {char: i for i, char in enumerate(CSRF_ALLOWED_CHARS)}
BASE = len(CSRF_ALLOWED_CHARS)
# Bytes below this map onto the characters uniformly (256 is not a multiple of 62); others are drawn again.
UNBIASED_BELOW = 256 - 256 % BASE
# One bytes.translate call turns random bytes into mask characters and drops the biased ones.
_TO_CHAR = bytes(ord(CSRF_ALLOWED_CHARS[b % BASE]) if b < UNBIASED_BELOW else 0 for b in range(256))
_BIASED = bytes(range(UNBIASED_BELOW, 256))
# The cipher character of each (secret character, mask character) pair, as Django's _mask_cipher_secret.
_CIPHER = {(s, m): CSRF_ALLOWED_CHARS[(INDEX[s] + INDEX[m]) % BASE] for s in INDEX for m in INDEX}
_ALLOWED = frozenset(CSRF_ALLOWED_CHARS)


def random_mask() -> str:
    chars = ""
    while len(chars) < CSRF_SECRET_LENGTH:
        chars += os.urandom(2 * CSRF_SECRET_LENGTH).translate(_TO_CHAR, _BIASED).decode("ascii")
    return chars[:CSRF_SECRET_LENGTH]


def masked_token(request, *, renew_cookie: bool = True) -> str:
    """What django.middleware.csrf.get_token(request) returns, with the same side effect (the CSRF
    cookie is sent again, to renew its expiry) unless renew_cookie is False. A request without a
    valid CSRF cookie goes through get_token itself, which also makes a new secret and sends it."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None or len(secret) != CSRF_SECRET_LENGTH or not _ALLOWED.issuperset(secret):
        return get_token(request)
    if renew_cookie:
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = random_mask()
    return mask + "".join(map(_CIPHER.__getitem__, zip(secret, mask, strict=True)))
