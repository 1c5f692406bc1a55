"""Founders with complete drafts, built in bulk, for the HTTP benchmarks."""

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from applications.models import Application, Membership, TeamMember
from calls.models import Call

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
DECK_NAME = "decks/bench/bench-deck.pdf"


def web_call(slug="bench-web") -> Call:
    now = timezone.now()
    call, _ = Call.objects.get_or_create(
        slug=slug,
        defaults={
            "title": "Benchmark call (web)",
            "summary": "Synthetic call for HTTP benchmarks.",
            "description": "Synthetic.",
            "location": "STATION F, Paris",
            "opens_at": now - dt.timedelta(days=7),
            "closes_at": now + dt.timedelta(days=30),
            "review_deadline": now + dt.timedelta(days=45),
            "programme_starts_on": (now + dt.timedelta(days=60)).date(),
            "programme_ends_on": (now + dt.timedelta(days=240)).date(),
        },
    )
    return call


def complete_drafts(call: Call, count: int, prefix: str) -> list[Application]:
    """count founders, each with a draft that passes submit validation."""
    deck_path = settings.PRIVATE_MEDIA_ROOT / DECK_NAME
    deck_path.parent.mkdir(parents=True, exist_ok=True)
    deck_path.write_bytes(PDF)
    password = make_password("bench-password-2026")
    with transaction.atomic():
        users = User.objects.bulk_create(
            User(username=f"{prefix}{i}@bench.example", email=f"{prefix}{i}@bench.example", password=password)
            for i in range(count)
        )
        apps = Application.objects.bulk_create(
            Application(
                call=call,
                owner=user,
                startup_name=f"Bench startup {i}",
                website=f"https://bench{i}.example.com",
                country="FR",
                city="Paris",
                founded_on=dt.date(2024, 1, 1),
                legal_form="sas",
                team_size=3,
                stage="mvp",
                funding_raised_eur=100000,
                problem="A problem worth solving.",
                solution="A solution built on Llama.",
                target_users="European SMEs.",
                foundation_models=["llama"],
                hub_usage="We host our fine-tunes on the Hub.",
                training_plans="Fine-tune Llama on legal texts.",
                gpu_hours_per_month=500,
                data_must_stay_in_eu=True,
                data_kinds=["personal"],
                traction="20 pilot customers.",
                revenue_band="lt100k",
                motivation="Compute and mentoring.",
                available_in_paris=True,
                pitch_deck=DECK_NAME,
                privacy_consent=True,
                accuracy_declaration=True,
            )
            for i, user in enumerate(users)
        )
        TeamMember.objects.bulk_create(
            TeamMember(application=app, name=f"Founder {i}", role="CEO", email=app.owner.email)
            for i, app in enumerate(apps)
        )
    return apps


def co_founder(application: Application, prefix: str) -> User:
    """A new user who joined application as a co-founder, written in bulk like the drafts."""
    (user,) = User.objects.bulk_create([User(username=f"{prefix}co@bench.example", email=f"{prefix}co@bench.example")])
    Membership.objects.bulk_create([Membership(application=application, user=user, call=application.call)])
    return user


def session_cookie(user) -> str:
    """A logged-in session for user, as the login view would create it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def browser_cookies(user, csrf_secret: str) -> str:
    """The Cookie header of a browser signed in as user that has loaded a page of the site before.

    Besides the session, that first page set the CSRF cookie (its forms need it) and the language
    cookie (accounts.middleware keeps it in step with the account's language). Without them every
    request would mint a new CSRF secret and set both cookies again, which only a first visit does.
    """
    return (
        f"{settings.SESSION_COOKIE_NAME}={session_cookie(user)}; {settings.CSRF_COOKIE_NAME}={csrf_secret}; "
        f"{settings.LANGUAGE_COOKIE_NAME}={user.language}"
    )
