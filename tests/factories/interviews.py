"""Factories of the interview stage (issue #20), shared by the interviews, booking and panel tests."""

import datetime as dt

import factory
from django.utils import timezone

from interviews.models import (
    Booking,
    InterviewCriterion,
    Invitation,
    PanelScore,
    PanelScoreSheet,
    PlaceKind,
    SheetStatus,
    Slot,
)
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory


class InterviewCallFactory(CallFactory):
    """A call with the interview stage: 8 startups invited for a cohort of 5."""

    interview_size = 8
    interview_review_weight = 0.5


class InterviewCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewCriterion

    call = factory.SubFactory(InterviewCallFactory)
    name = factory.Sequence(lambda n: f"Interview criterion {n}")
    weight = 1
    scale_max = 5


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation of a submitted application of an interview call, ranked after the others."""

    class Meta:
        model = Invitation

    application = factory.SubFactory(ApplicationFactory, submitted=True, call=factory.SubFactory(InterviewCallFactory))
    call = factory.SelfAttribute("application.call")
    review_rank = factory.Sequence(lambda n: n + 1)
    invited_at = factory.LazyFunction(timezone.now)


class PanelMemberFactory(UserFactory):
    is_staff = True


class SlotFactory(factory.django.DjangoModelFactory):
    """A 30-minute slot in a STATION F room, a week from now."""

    class Meta:
        model = Slot
        skip_postgeneration_save = True

    call = factory.SubFactory(InterviewCallFactory)
    starts_at = factory.Sequence(lambda n: timezone.now() + dt.timedelta(days=7, minutes=30 * n))
    duration_minutes = 30
    place_kind = PlaceKind.ROOM
    room = "STATION F — Room 2"

    @factory.post_generation
    def panel(self, create, extracted, **kwargs):
        if create and extracted:
            self.panel.set(extracted)


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    invitation = factory.SubFactory(InvitationFactory)
    slot = factory.SubFactory(SlotFactory, call=factory.SelfAttribute("..invitation.call"))
    booked_by = factory.SelfAttribute("invitation.application.owner")


class PanelScoreSheetFactory(factory.django.DjangoModelFactory):
    """A submitted sheet; pass weighted_score, or add PanelScore rows and recompute."""

    class Meta:
        model = PanelScoreSheet

    invitation = factory.SubFactory(InvitationFactory)
    panel_member = factory.SubFactory(PanelMemberFactory)
    status = SheetStatus.SUBMITTED
    weighted_score = 3.0
    submitted_at = factory.LazyFunction(timezone.now)


class PanelScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelScore

    sheet = factory.SubFactory(PanelScoreSheetFactory)
    criterion = factory.SubFactory(InterviewCriterionFactory, call=factory.SelfAttribute("..sheet.invitation.call"))
    value = 3
    scale_max = factory.SelfAttribute("criterion.scale_max")
