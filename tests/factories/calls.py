import datetime as dt

import factory
from django.utils import timezone

from calls.models import Call, Criterion


class CallFactory(factory.django.DjangoModelFactory):
    """An open call by default: opened a week ago, closes in three weeks."""

    class Meta:
        model = Call

    title = factory.Sequence(lambda n: f"Call {n}")
    slug = factory.Sequence(lambda n: f"call-{n}")
    summary = "A call for AI startups."
    description = "Apply **now**."
    location = "STATION F, Paris"
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + dt.timedelta(days=28))
    review_deadline = factory.LazyAttribute(lambda o: o.closes_at + dt.timedelta(days=14))
    programme_starts_on = factory.LazyAttribute(lambda o: (o.review_deadline + dt.timedelta(days=10)).date())
    programme_ends_on = factory.LazyAttribute(lambda o: o.programme_starts_on + dt.timedelta(days=180))
    cohort_size = 5


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1
    scale_max = 5
