"""The signed-in user from the cache rather than one database query per request.

Only with a cache shared by every web process (REDIS_URL): a user changed in one process must not
stay cached in another (settings.AUTH_USER_CACHE). The cached copy is used only while the session's
hash of the password still matches it, exactly as Django checks a user from the database; any
other case (no entry, a changed password, a session to upgrade to a new SECRET_KEY) goes through
Django's own get_user. Saving or deleting a user marks the entry as changing (accounts.signals,
see core.cache): for a minute the user is read from the database and not stored, so a
request between the change and its commit cannot store the old row. Roles and permissions are not
cached (they are read when needed).

The password hash itself is not stored in the cache: the entry keeps the session hash (an HMAC of
it under SECRET_KEY) and a user whose password field is deferred, so code that needs the password
reads it from the database, and saving that user never writes a stale one.

From a session's second request in a process on, the user's entry is read in the same round trip
as the session itself (accounts.sessions.load_with).
"""

from collections import OrderedDict

from django.conf import settings
from django.contrib import auth
from django.utils.crypto import constant_time_compare

from core import cache

# A user changed outside Django's signals (raw SQL) shows within this delay at the latest.
USER_CACHE_SECONDS = 300


def user_key(backend_path: str, user_id) -> str:
    return f"auth-user:{backend_path}:{user_id}"


def get_user(request):
    if not settings.AUTH_USER_CACHE:
        return auth.get_user(request)
    session = request.session
    seen = _signed_in.get(session.session_key)
    keys = found = None
    if seen is not None and hasattr(session, "load_with"):
        keys = _keys(request, *seen)
        found = session.load_with(keys)
    try:
        user_id = session[auth.SESSION_KEY]
        backend_path = session[auth.BACKEND_SESSION_KEY]
    except KeyError:
        return auth.get_user(request)  # anonymous
    if found is None or seen != (user_id, backend_path):
        keys = _keys(request, user_id, backend_path)
        try:
            found = cache.get_many(keys)
        except cache.Unavailable:
            return auth.get_user(request)
        _remember(session.session_key, (user_id, backend_path))
    (key,) = keys
    entry = found.get(key)
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if (
        cache.is_settled(entry)
        and backend_path in settings.AUTHENTICATION_BACKENDS
        and session_hash
        and constant_time_compare(session_hash, entry[0])
    ):
        return entry[1]
    user = auth.get_user(request)
    if entry is None and user.is_authenticated:
        _store(key, user)
    return user


def _keys(request, user_id, backend_path) -> list[str]:
    return [user_key(backend_path, user_id)]


# The user of each session this process has served, by session key: a session keeps its user for
# its whole life (signing in gives a new key), so the next request of the session reads the session,
# and the user in one round trip (accounts.sessions.load_with). Only a guess: what
# it read is used when the session says the same user and backend.
_signed_in: OrderedDict = OrderedDict()
SESSIONS_REMEMBERED = 10_000


def _remember(session_key, user) -> None:
    if not session_key:
        return
    try:
        _signed_in[session_key] = user
        _signed_in.move_to_end(session_key)
        while len(_signed_in) > SESSIONS_REMEMBERED:
            _signed_in.popitem(last=False)
    except KeyError:  # another thread evicted the same entry meanwhile (threaded servers)
        pass


def _store(key: str, user) -> None:
    auth_hash = user.get_session_auth_hash()
    password = user.__dict__.pop("password", None)  # deferred in the stored copy
    try:
        # add, not set: a change marked since our read wins over the row we read.
        cache.add(key, (auth_hash, user), USER_CACHE_SECONDS)
    finally:
        if password is not None:
            user.password = password


def user_changed(user) -> None:
    if settings.AUTH_USER_CACHE:
        cache.mark_changing(*(user_key(path, user.pk) for path in settings.AUTHENTICATION_BACKENDS))
