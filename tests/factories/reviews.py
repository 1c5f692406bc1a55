import factory
from django.utils import timezone

from reviews.models import Assignment, Review, ReviewerProfile, ReviewStatus, Score
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory


class ReviewerFactory(UserFactory):
    is_staff = True


class ReviewerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewerProfile

    user = factory.SubFactory(ReviewerFactory)
    organisation = "meta"
    email_domains = factory.LazyFunction(lambda: ["meta.com"])


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    reviewer = factory.SubFactory(ReviewerFactory)
    application = factory.SubFactory(ApplicationFactory, submitted=True)


class ReviewFactory(factory.django.DjangoModelFactory):
    """A submitted review; pass weighted_score, or add Score rows and recompute."""

    class Meta:
        model = Review

    assignment = factory.SubFactory(AssignmentFactory)
    call = factory.SelfAttribute("assignment.application.call")
    status = ReviewStatus.SUBMITTED
    recommendation = "yes"
    confidence = 2
    weighted_score = 3.0
    submitted_at = factory.LazyFunction(timezone.now)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    review = factory.SubFactory(ReviewFactory)
    criterion = factory.SubFactory("tests.factories.calls.CriterionFactory")
    value = 3
    scale_max = factory.SelfAttribute("criterion.scale_max")
