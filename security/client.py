"""Who is knocking: the login identifier and the client address that login throttling keys on.

Both are wired into django-axes (AXES_USERNAME_CALLABLE, AXES_CLIENT_IP_CALLABLE) so that the lock
is on the pair (identifier, address): a stranger elsewhere can never lock a real user out.
"""

from django.conf import settings

# Django's admin and AuthenticationForm post "username"; allauth posts "login" (e-mail or username)
# and authenticates with "email" or "username" credentials.
IDENTIFIER_FIELDS = ("username", "login", "email")


def login_identifier(request, credentials: dict | None) -> str | None:
    """The identifier a login attempt is for, lower-cased so that case variants count together."""
    sources = [credentials or {}]
    if request is not None:
        sources.append(getattr(request, "POST", {}))
    for source in sources:
        for field in IDENTIFIER_FIELDS:
            value = source.get(field)
            if isinstance(value, str) and value.strip():
                return value.strip().lower()
    return None


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the entry our own proxies added to X-Forwarded-For.

    With TRUSTED_PROXY_COUNT proxies in front, each appends the address it saw, so the client is
    the N-th entry from the right; anything further left was written by the client and is not
    trusted. Without proxies every login would share the proxy's address.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
