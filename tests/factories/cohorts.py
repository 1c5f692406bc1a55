import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import ORGANISERS
from applications.models import Status
from cohorts.models import Section, ShortlistEntry, ShortlistRanking, ShortlistRun
from cohorts.shortlist import snapshot
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory, TeamMemberFactory
from tests.factories.calls import CallFactory


class ShortlistRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShortlistRun
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    method = "mean"
    trigger = "admin"
    locked_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def ranking(obj, create, extracted, **kwargs):
        if create:
            _repack(obj)


class ShortlistEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShortlistEntry
        skip_postgeneration_save = True

    run = factory.SubFactory(ShortlistRunFactory)
    application = factory.SubFactory(ApplicationFactory, submitted=True)
    section = Section.SHORTLIST
    rank = factory.Sequence(lambda n: n + 1)
    score = 4.0
    review_count = 3

    @factory.post_generation
    def ranking(obj, create, extracted, **kwargs):
        if create:
            _repack(obj.run)


def _repack(run):
    """The run's packed ranking as a run would store it: every entry made so far."""
    data = snapshot.pack_rows(ShortlistEntry.objects.filter(run=run))
    ShortlistRanking.objects.update_or_create(run=run, defaults={"data": data})


def organiser(**kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    group, _ = Group.objects.get_or_create(name=ORGANISERS)
    user.groups.add(group)
    return user


def closed_call(**kwargs):
    """A call whose application deadline (and review deadline) have passed."""
    now = timezone.now()
    dates = {
        "opens_at": now - dt.timedelta(days=40),
        "closes_at": now - dt.timedelta(days=20),
        "review_deadline": now - dt.timedelta(hours=1),
    }
    return CallFactory(**{**dates, **kwargs})


def locked_shortlist(call=None, *, shortlisted=5, waitlisted=3, ranked=2, language="en"):
    """A call whose locked run has `shortlisted` + `waitlisted` + `ranked` entries, ranks 1..n, as the
    shortlist lock leaves it: statuses shortlisted / waitlisted / rejected. Returns (call, [applications])."""
    call = call or closed_call()
    run = ShortlistRunFactory(call=call)
    call.shortlist_locked_at = run.locked_at
    call.save(update_fields=["shortlist_locked_at"])
    apps = []
    plan = (
        [(Section.SHORTLIST, Status.SHORTLISTED)] * shortlisted
        + [(Section.WAITLIST, Status.WAITLISTED)] * waitlisted
        + [(Section.RANKED, Status.REJECTED)] * ranked
    )
    for rank, (section, status) in enumerate(plan, start=1):
        owner = UserFactory(language=language)
        application = ApplicationFactory(call=call, owner=owner, submitted=True, status=status)
        TeamMemberFactory(application=application, name=owner.get_full_name(), email=owner.email, role="CEO")
        ShortlistEntryFactory(run=run, application=application, section=section, rank=rank, score=5 - rank / 10)
        apps.append(application)
    return call, apps
