"""The surge's data: an open call, founders with complete drafts and signed-in sessions, a few staff.

Runs in the orchestrator (bench/surge/__main__.py) against the surge's own database. Everything is
written in bulk like bench/web_data.py; each run gets its own call and its own people, so the steps
of a search run do not see each other's submissions.
"""

import datetime as dt
import json
import random
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.roles import ORGANISERS, REVIEWERS

PASSWORD = "surge-password-2026"


def seed(run: str, founders: int, organisers: int, reviewers: int, minutes: float) -> dict:
    """Build the run's call (deadline set later, when the clock starts) and its people."""
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from bench import web_data

    call = web_data.web_call(slug=f"surge-{run}")
    apps = web_data.complete_drafts(call, founders, prefix=f"{run}-f")
    password = make_password(PASSWORD)
    with transaction.atomic():
        # complete_drafts gives every founder the same (real) password; allauth needs a verified address.
        User.objects.filter(pk__in=[a.owner_id for a in apps]).update(password=password)
        staff = User.objects.bulk_create(
            [
                User(
                    username=f"{run}-{kind}{i}@surge.example",
                    email=f"{run}-{kind}{i}@surge.example",
                    password=password,
                    is_staff=True,
                )
                for kind, count in (("org", organisers), ("rev", reviewers))
                for i in range(count)
            ]
        )
        people = [a.owner for a in apps] + staff
        EmailAddress.objects.bulk_create(
            EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in people
        )
        groups = {name: Group.objects.get_or_create(name=name)[0] for name in (ORGANISERS, REVIEWERS)}
        for user in staff:
            user.groups.add(groups[ORGANISERS if "-org" in user.username else REVIEWERS])
    return {
        "call": call.pk,
        "call_slug": call.slug,
        "founders": [{"app": a.pk, "email": a.owner.email, "user": a.owner_id} for a in apps],
        "organisers": [u.email for u in staff if "-org" in u.username],
        "reviewers": [u.email for u in staff if "-rev" in u.username],
    }


def sessions(emails: list[str]) -> list[str]:
    """A signed-in session per person, as django.contrib.auth.login stores it (bench/web_data)."""
    from accounts.models import User
    from bench.web_data import session_cookie

    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    return [session_cookie(users[e]) for e in emails]


def open_until(call_pk: int, closes_at: dt.datetime) -> None:
    from calls.models import Call

    now = timezone.now()
    Call.objects.filter(pk=call_pk).update(
        opens_at=now - dt.timedelta(days=30),
        closes_at=closes_at,
        review_deadline=closes_at + dt.timedelta(days=14),
    )


def plan(
    data: dict,
    *,
    seconds: float,
    login_share: float,
    upload_share: float,
    submit_share: float,
    submit_peak: float,
    seed_value: int = 18,
) -> dict:
    """Who uploads a deck, who submits and when (seconds after the start), who signs in with a password.

    Submissions come late: the time left before the end is exponential with a mean of
    submitters / submit_peak seconds, so the rate climbs to about submit_peak per second in the last
    seconds (most of them in the last minute), as on a real deadline night.
    """
    rng = random.Random(seed_value)
    founders = data["founders"]
    submitters = max(1, round(len(founders) * submit_share))
    mean_left = max(submitters / submit_peak, 1.0)
    chosen = set(rng.sample(range(len(founders)), submitters))
    uploaders = set(rng.sample(range(len(founders)), max(1, round(len(founders) * upload_share))))
    for i, f in enumerate(founders):
        f["login"] = rng.random() < login_share
        f["upload"] = i in uploaders
        f["deck_size"] = rng.randint(1_000_000, 5_000_000)
        if i in chosen:
            # The last 10 s are left for the answers to arrive before the client stops.
            left = min(rng.expovariate(1 / mean_left), seconds - 15)
            f["submit_at"] = max(seconds - 10 - left, 1.0)
        else:
            f["submit_at"] = None
    return data


def write(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data))
