import factory
from django.utils import timezone

from applications.models import Application, Status, TeamMember
from tests.factories.accounts import UserFactory
from tests.factories.calls import CallFactory


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft with the startup section filled in."""

    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    owner = factory.SubFactory(UserFactory)
    startup_name = factory.Sequence(lambda n: f"Startup {n}")
    website = factory.Sequence(lambda n: f"https://startup{n}.example.com")
    country = "FR"
    city = "Paris"

    class Params:
        submitted = factory.Trait(
            status=Status.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
        )


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    application = factory.SubFactory(ApplicationFactory)
    name = factory.Faker("name")
    role = "CEO"
    email = factory.Sequence(lambda n: f"member{n}@example.com")
