import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import ORGANISERS
from reviews import services
from reviews.models import ReviewerProfile
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory, CriterionFactory


@pytest.fixture
def call():
    """A call in review: closed yesterday, reviews due in two weeks, rubric weights 3, 2, 1."""
    now = timezone.now()
    call = CallFactory(
        opens_at=now - dt.timedelta(days=30),
        closes_at=now - dt.timedelta(days=1),
        review_deadline=now + dt.timedelta(days=14),
        reviewers_per_application=3,
    )
    CriterionFactory(call=call, name="Open models", description="How they build on open models.", weight=3, order=0)
    CriterionFactory(call=call, name="Team", description="Can they ship?", weight=2, order=1)
    CriterionFactory(call=call, name="Compute plan", description="GPU plan.", weight=1, order=2, scale_max=4)
    return call


def make_reviewer(organisation="meta", domains=(), email=None, cap=None, **user_fields):
    user = UserFactory(**({"email": email, "username": email} if email else {}), **user_fields)
    profile = ReviewerProfile(user=user, organisation=organisation, email_domains=list(domains), max_assignments=cap)
    services.save_reviewer_profile(profile)
    user.refresh_from_db()
    return user


def make_organiser():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=ORGANISERS))
    return user


def submitted_app(call, **fields):
    return ApplicationFactory(call=call, submitted=True, **fields)


def full_scores(call, value=4):
    return {c.pk: min(value, c.scale_max) for c in call.criteria.all()}


def submit_review(assignment, value=4, **kwargs):
    call = assignment.application.call
    arguments = {
        "scores": full_scores(call, value),
        "recommendation": "yes",
        "confidence": 2,
        "comments": "",
        "submit": True,
    }
    arguments.update(kwargs)
    return services.save_review(assignment, by=assignment.reviewer, **arguments)


@pytest.fixture
def organiser():
    return make_organiser()


@pytest.fixture
def reviewer_a():
    return make_reviewer("meta", ["meta.com"])


@pytest.fixture
def reviewer_b():
    return make_reviewer("hugging_face", ["huggingface.co"])
