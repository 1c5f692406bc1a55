"""Who is knocking: the login identifier and the client address that login throttling keys on.

Both are wired into django-axes (AXES_USERNAME_CALLABLE, AXES_CLIENT_IP_CALLABLE) so that the lock
is on the pair (identifier, address): a stranger elsewhere can never lock a real user out.
"""

import ipaddress

from django.conf import settings

# An IPv6 client usually holds a whole /64 and can pick any address in it: sign-in throttling
# counts the network, as django-allauth's rate limits do (ALLAUTH_RATE_LIMIT_IPV6_PREFIX, 64).
IPV6_THROTTLE_PREFIX = 64

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


def throttle_address(request) -> str | None:
    """The client address that sign-in failures are counted against (django-axes' key).

    client_ip(), except that an IPv6 address becomes its /64 network (written as its first
    address): otherwise one client could try five passwords per account from each of its 2**64
    addresses. An IPv4 address written as IPv6 (::ffff:a.b.c.d) is the IPv4 address.
    """
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/{IPV6_THROTTLE_PREFIX}", strict=False).network_address)
    return str(parsed)
