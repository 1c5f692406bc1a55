"""A founder with everything the portal can hold about someone: the subject of export and erasure tests."""

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from applications.models import Membership
from applications.services.submission import submit_application
from applications.services.team import invite
from tests.applications.helpers import complete, minimal_pdf
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory, CriterionFactory
from tests.factories.reviews import AssignmentFactory, ReviewFactory, ScoreFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = False


@dataclass
class Founder:
    user: object
    draft: object  # owned draft, with a deck and a co-founder
    submitted: object  # owned, submitted, reviewed
    joined: object  # someone else's application she joined
    co_founder: object
    other_owner: object
    reviews: list


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def ada(db):
    user = verified(UserFactory(first_name="Ada", last_name="Lovelace", email="ada@example.eu", username="ada"))
    co_founder = verified(UserFactory(first_name="Bob", last_name="Babbage", language="fr"))
    other_owner = verified(UserFactory(first_name="Carol", last_name="Shaw"))

    draft = ApplicationFactory(call=CallFactory(), owner=user, startup_name="Draft Engine")
    draft.pitch_deck.save("deck.pdf", io.BytesIO(minimal_pdf()), save=True)
    Membership.objects.create(application=draft, user=co_founder, call=draft.call)
    invite(draft.pk, by=user, email="pending.cofounder@example.eu")

    submitted = complete(ApplicationFactory(call=CallFactory(), owner=user, startup_name="Analytical"))
    submitted.startup_name = "Analytical Engines"
    submitted.problem = "Ada's own words about the problem."
    submitted.save()
    Membership.objects.create(application=submitted, user=co_founder, call=submitted.call)
    submit_application(submitted.pk, by=user)
    submitted.refresh_from_db()
    criterion = CriterionFactory(call=submitted.call)
    reviews = []
    for _ in range(2):
        review = ReviewFactory(assignment=AssignmentFactory(application=submitted), comments="Strong team.")
        ScoreFactory(review=review, criterion=criterion, value=4)
        reviews.append(review)

    joined = ApplicationFactory(call=CallFactory(), owner=other_owner, startup_name="Carol's Startup")
    Membership.objects.create(application=joined, user=user, call=joined.call)
    return Founder(user, draft, submitted, joined, co_founder, other_owner, reviews)


def days_ago(days):
    return timezone.now() - dt.timedelta(days=days)
