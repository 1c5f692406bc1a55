"""Every URL pattern of the project against the role matrix (tests/access/matrix.py).

For each role: every GET ends as the matrix says and changes nothing in the database; every POST
the role may not make is refused the same way and changes nothing; and every POST without a CSRF
token is refused, whoever sends it.
"""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import resolve

from tests.access.matrix import expand
from tests.access.outcomes import outcome
from tests.access.patterns import all_patterns
from tests.access.world import ROLES, build_world, changed_tables, database_state, url_for

pytestmark = pytest.mark.django_db

# What an intruder would send: every field name a portal form or admin action reads.
PAYLOAD = {
    "version": "1",
    "startup_name": "Hijacked",
    "city": "Changed by an intruder",
    "email": "intruder@example.com",
    "confirm": "yes",
    "reason": "intrusion",
    "language": "fr",
    "token": "123456",
    "scope": "submitted",
    "subject": "Changed",
    "body": "Changed",
    "post": "yes",
    "action": "delete_selected",
    "_selected_action": ["1", "2", "3"],
}


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # allauth counts requests per address in the cache, which outlives a test.
    settings.ACCOUNT_RATE_LIMITS = False


def unique_patterns():
    """One pattern per route: Django serves the first of two identical routes (our i18n/setlang/
    comes before Django's own on purpose)."""
    seen = set()
    return [p for p in all_patterns() if not (p.route in seen or seen.add(p.route))]


def signed_in(client, user):
    if user is not None:
        client.force_login(user)
    return client


def still_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def writers(savepoint, client, user, world, patterns, method) -> list[str]:
    """Which requests wrote to the database: back to the state before the sweep, then each request
    again with a look at the database after it (only when a sweep found a write)."""
    transaction.savepoint_rollback(savepoint)
    signed_in(client, user)
    found = []
    for pattern in patterns:
        before = database_state()
        getattr(client, method)(url_for(pattern, world), PAYLOAD if method == "post" else None)
        tables = changed_tables(before, database_state())
        if tables:
            found.append(f"{method.upper()} {pattern} wrote {', '.join(tables)}")
        signed_in(client, user) if user and not still_signed_in(client) else None
    return found


def test_every_url_pattern_has_an_entry():
    _rules, problems = expand(all_patterns())
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_get_matches_the_matrix_and_changes_nothing(role):
    world = build_world()
    patterns = unique_patterns()
    rules, _problems = expand(patterns)
    user = world.users[role]
    client = signed_in(Client(), user)
    before, savepoint = database_state(), transaction.savepoint()
    mismatches, may_write = [], set()
    for pattern in patterns:
        url = url_for(pattern, world)
        if resolve(url.split("?")[0]).func is not pattern.callback:
            mismatches.append(f"{pattern}: {url} is served by another view; fix url_for")
        chosen = rules[pattern.route]
        expected = chosen.get[ROLES.index(role)]
        got = outcome(client.get(url))
        if got != expected:
            mismatches.append(f"{pattern}: expected {expected}, got {got}")
        if user is not None and not still_signed_in(client):
            if not chosen.logs_out:
                mismatches.append(f"{pattern}: a GET signed the {role} out")
            signed_in(client, user)
        may_write |= chosen.get_writes
    assert not mismatches, f"as {role}:\n" + "\n".join(mismatches)
    unexpected = set(changed_tables(before, database_state())) - may_write
    if unexpected:
        culprits = writers(savepoint, client, user, world, patterns, "get")
        pytest.fail(f"as {role}, GET requests wrote to {sorted(unexpected)}:\n" + "\n".join(culprits))


@pytest.mark.parametrize("role", ROLES)
def test_refused_posts_are_refused_and_change_nothing(role):
    world = build_world()
    patterns = unique_patterns()
    rules, _problems = expand(patterns)
    user = world.users[role]
    client = signed_in(Client(), user)
    refused = [p for p in patterns if rules[p.route].refused_post(role) is not None]
    before, savepoint = database_state(), transaction.savepoint()
    mismatches = []
    for pattern in refused:
        expected = rules[pattern.route].refused_post(role)
        got = outcome(client.post(url_for(pattern, world), PAYLOAD))
        if got not in (expected, 405):
            mismatches.append(f"{pattern}: expected {expected}, got {got}")
    assert refused or role == "organiser"
    assert not mismatches, f"POST as {role}:\n" + "\n".join(mismatches)
    if changed_tables(before, database_state()):
        culprits = writers(savepoint, client, user, world, refused, "post")
        pytest.fail(f"refused POSTs as {role} wrote:\n" + "\n".join(culprits))


@pytest.mark.parametrize("role", ROLES)
def test_posts_without_csrf_token_are_refused(role):
    world = build_world()
    patterns = unique_patterns()
    user = world.users[role]
    client = signed_in(Client(enforce_csrf_checks=True), user)
    before = database_state()
    accepted = []
    for pattern in patterns:
        response = client.post(url_for(pattern, world), PAYLOAD)
        if response.status_code != 403 or b"This form could not be sent" not in response.content:
            accepted.append(f"{pattern}: {outcome(response)}")
    assert not accepted, f"POST without a CSRF token as {role} was not refused by the CSRF check:\n" + "\n".join(
        accepted
    )
    assert changed_tables(before, database_state()) == []
