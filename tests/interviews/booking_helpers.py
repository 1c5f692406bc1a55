"""Builders of the booking tests: a call in its interview stage, invited startups, slots."""

import datetime as dt

from django.utils import timezone

from applications.models import Membership
from tests.factories.accounts import UserFactory
from tests.factories.interviews import InterviewCallFactory, InvitationFactory, PanelMemberFactory, SlotFactory


def interviewing_call(**kwargs):
    """A closed call whose review shortlist is locked: invited startups book their slots."""
    now = timezone.now()
    dates = {
        "opens_at": now - dt.timedelta(days=40),
        "closes_at": now - dt.timedelta(days=20),
        "review_deadline": now - dt.timedelta(days=5),
        "shortlist_locked_at": now - dt.timedelta(days=1),
    }
    return InterviewCallFactory(**{**dates, **kwargs})


def invite(call, **kwargs):
    return InvitationFactory(call=call, application__call=call, **kwargs)


def co_founder(application, **kwargs):
    user = UserFactory(**kwargs)
    Membership.objects.create(application=application, user=user, call=application.call)
    return user


def slot_in(call, *, hours=7 * 24, panel=None, **kwargs):
    return SlotFactory(
        call=call,
        starts_at=(timezone.now() + dt.timedelta(hours=hours)).replace(second=0, microsecond=0),
        panel=panel if panel is not None else [PanelMemberFactory()],
        **kwargs,
    )
