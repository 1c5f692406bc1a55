"""applications.access, the one rule of who reads and changes an application, and the services that
ask it: a caller without the right is refused and nothing is written."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.http import Http404

from accounts.roles import ORGANISERS, REVIEWERS
from applications import access
from applications.models import Application, Membership, Status
from applications.services import team
from applications.services.drafts import save_application, start_application
from applications.services.errors import NotAllowed
from applications.services.submission import submit_application, withdraw_application
from reviews.models import AssignmentState, Conflict, ConflictSource
from tests.applications.helpers import complete
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.reviews import AssignmentFactory, ReviewerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(draft):
    co_founder = UserFactory()
    Membership.objects.create(application=draft, user=co_founder, call=draft.call)
    reviewer = ReviewerFactory()
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWERS)[0])
    AssignmentFactory(application=draft, reviewer=reviewer)
    conflicted = ReviewerFactory()
    AssignmentFactory(application=draft, reviewer=conflicted)
    Conflict.objects.create(reviewer=conflicted, application=draft, source=ConflictSource.REVIEWER, reason="x")
    released = ReviewerFactory()
    AssignmentFactory(application=draft, reviewer=released, state=AssignmentState.CONFLICTED)
    organiser = UserFactory(is_staff=True)
    organiser.groups.add(Group.objects.get_or_create(name=ORGANISERS)[0])
    return {
        "owner": draft.owner,
        "co_founder": co_founder,
        "reviewer": reviewer,
        "conflicted_reviewer": conflicted,
        "released_reviewer": released,
        "organiser": organiser,
        "other_founder": ApplicationFactory(call=draft.call).owner,
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize(
    ("role", "reads", "edits"),
    [
        ("owner", True, True),
        ("co_founder", True, True),
        ("reviewer", True, False),
        ("conflicted_reviewer", False, False),
        ("released_reviewer", False, False),
        ("organiser", True, False),
        ("other_founder", False, False),
        ("anonymous", False, False),
    ],
)
def test_who_reads_and_who_edits(draft, people, role, reads, edits):
    user = people[role]
    assert access.readable_applications(user).filter(pk=draft.pk).exists() is reads
    assert access.editable_applications(user).filter(pk=draft.pk).exists() is edits
    assert access.may_edit(user, draft) is edits
    for check, allowed in ((access.for_reader, reads), (access.for_editor, edits)):
        if allowed:
            assert check(user, draft.pk) == draft
        else:
            with pytest.raises(Http404):
                check(user, draft.pk)


def test_a_deactivated_founder_reads_nothing(draft):
    draft.owner.is_active = False
    draft.owner.save()
    assert not access.readable_applications(draft.owner).exists()
    with pytest.raises(Http404):
        access.for_editor(draft.owner, draft.pk)


def test_an_unknown_id_is_a_404_for_organisers_too(people):
    with pytest.raises(Http404):
        access.for_reader(people["organiser"], 10**9)


def test_readers_of_several_applications_each_appear_once(draft, people):
    """The rule is written with EXISTS, not joins: no duplicates, no DISTINCT needed."""
    second = ApplicationFactory(call=draft.call, owner=people["co_founder"])
    Membership.objects.create(application=second, user=draft.owner, call=draft.call)
    ids = list(access.readable_applications(draft.owner).values_list("pk", flat=True))
    assert sorted(ids) == sorted([draft.pk, second.pk])


# The services ask the same rule.


@pytest.mark.parametrize("role", ["reviewer", "organiser", "other_founder", "conflicted_reviewer"])
def test_only_founders_save_answers(draft, people, role):
    with pytest.raises(NotAllowed):
        save_application(draft.pk, by=people[role], expected_version=draft.version, values={"city": "Lyon"})
    draft.refresh_from_db()
    assert draft.city == ""


def test_a_co_founder_saves_answers(draft, people):
    saved = save_application(draft.pk, by=people["co_founder"], expected_version=draft.version, values={"city": "Lyon"})
    assert saved.city == "Lyon"


def test_a_removed_co_founder_can_no_longer_save(draft, people):
    team.remove_member(draft.pk, draft.memberships.get().pk, by=draft.owner)
    with pytest.raises(NotAllowed):
        save_application(draft.pk, by=people["co_founder"], expected_version=draft.version, values={"city": "Lyon"})


@pytest.mark.parametrize("role", ["co_founder", "reviewer", "organiser", "other_founder"])
def test_only_the_owner_submits_withdraws_and_manages_the_team(draft, people, role):
    complete(draft)
    user = people[role]
    with pytest.raises(NotAllowed):
        submit_application(draft.pk, by=user)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    with pytest.raises(NotAllowed):
        team.invite(draft.pk, by=user, email="someone@example.com")
    assert not draft.invitations.exists()
    with pytest.raises(NotAllowed):
        team.remove_member(draft.pk, draft.memberships.get().pk, by=user)
    assert draft.memberships.count() == 1
    submit_application(draft.pk, by=draft.owner)
    with pytest.raises(NotAllowed):
        withdraw_application(draft.pk, by=user)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_the_owner_cannot_leave_their_own_application(draft):
    with pytest.raises(NotAllowed):
        team.leave(draft.pk, by=draft.owner)
    assert Application.objects.filter(pk=draft.pk, owner=draft.owner).exists()


@pytest.mark.parametrize("who", ["anonymous", "deactivated"])
def test_only_a_signed_in_active_person_starts_an_application(call, who):
    user = AnonymousUser() if who == "anonymous" else UserFactory(is_active=False)
    with pytest.raises(NotAllowed):
        start_application(call, by=user)
    assert not Application.objects.filter(call=call).exists()
