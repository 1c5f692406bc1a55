import factory
from django.utils import timezone

from mail.models import OutboxMessage


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxMessage

    kind = "test"
    to = factory.Sequence(lambda n: f"founder{n}@example.com")
    subject = "Hello"
    body = "Body\n"
    next_attempt_at = factory.LazyFunction(timezone.now)
