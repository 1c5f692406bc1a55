"""Who may open each review page of the admin: anonymous, founder, reviewer A (assigned), reviewer B
(not assigned) and organiser. Every URL the reviews admin registers must have a row here."""

import pytest
from django.contrib import admin
from django.urls import reverse

from reviews.models import Conflict, ConflictSource, ReviewChange, RubricChange
from tests.factories.accounts import UserFactory
from tests.factories.reviews import AssignmentFactory
from tests.reviews.conftest import make_organiser, make_reviewer, submit_review, submitted_app

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "founder", "reviewer_a", "reviewer_b", "organiser")
LOGIN = 302  # anonymous visitors and founders (not staff) are sent to the admin login
OWN = {"anonymous": LOGIN, "founder": LOGIN, "reviewer_a": 200, "reviewer_b": 404, "organiser": 403}
REVIEWER_LIST = {"anonymous": LOGIN, "founder": LOGIN, "reviewer_a": 200, "reviewer_b": 200, "organiser": 403}


def organiser_only(code=200):
    return {"anonymous": LOGIN, "founder": LOGIN, "reviewer_a": 403, "reviewer_b": 403, "organiser": code}


# url name -> (object key or None, expected status per role)
MATRIX = {
    "reviews_myreview_changelist": (None, REVIEWER_LIST),
    "reviews_myreview_change": ("assignment", OWN),
    "reviews_myreview_conflict": ("assignment", OWN),
    "reviews_applicationprogress_changelist": (None, organiser_only()),
    "reviews_applicationprogress_change": ("application", organiser_only()),
    "reviews_applicationprogress_history": ("application", organiser_only()),
    "reviews_applicationprogress_add": (None, organiser_only(403)),
    "reviews_applicationprogress_delete": ("application", organiser_only(403)),
    "reviews_reviewerprogress_changelist": (None, organiser_only()),
    "reviews_assignment_changelist": (None, organiser_only()),
    "reviews_assignment_change": ("assignment", organiser_only()),
    "reviews_assignment_history": ("assignment", organiser_only()),
    "reviews_assignment_add": (None, organiser_only(403)),
    "reviews_assignment_delete": ("assignment", organiser_only(403)),
    "reviews_conflict_changelist": (None, organiser_only()),
    "reviews_conflict_add": (None, organiser_only()),
    "reviews_conflict_change": ("conflict", organiser_only()),
    "reviews_conflict_history": ("conflict", organiser_only()),
    "reviews_conflict_delete": ("conflict", organiser_only(403)),
    "reviews_review_changelist": (None, organiser_only()),
    "reviews_review_change": ("review", organiser_only()),
    "reviews_review_history": ("review", organiser_only()),
    "reviews_review_export": (None, organiser_only()),
    "reviews_review_add": (None, organiser_only(403)),
    "reviews_review_delete": ("review", organiser_only(403)),
    "reviews_reviewchange_changelist": (None, organiser_only()),
    "reviews_reviewchange_change": ("change", organiser_only()),
    "reviews_reviewchange_history": ("change", organiser_only()),
    "reviews_reviewchange_add": (None, organiser_only(403)),
    "reviews_reviewchange_delete": ("change", organiser_only(403)),
    "reviews_rubricchange_changelist": (None, organiser_only()),
    "reviews_rubricchange_change": ("rubric", organiser_only()),
    "reviews_rubricchange_history": ("rubric", organiser_only()),
    "reviews_rubricchange_add": (None, organiser_only(403)),
    "reviews_rubricchange_delete": ("rubric", organiser_only(403)),
    "reviews_reviewerprofile_changelist": (None, organiser_only()),
    "reviews_reviewerprofile_add": (None, organiser_only()),
    "reviews_reviewerprofile_change": ("profile", organiser_only()),
    "reviews_reviewerprofile_history": ("profile", organiser_only()),
    "reviews_reviewerprofile_delete": ("profile", organiser_only()),
}


@pytest.fixture
def world(call):
    reviewer_a, reviewer_b = make_reviewer("meta"), make_reviewer("hugging_face")
    founder = UserFactory()
    application = submitted_app(call, owner=founder)
    assignment = AssignmentFactory(reviewer=reviewer_a, application=application)
    review = submit_review(assignment)
    other = submitted_app(call)
    conflict = Conflict.objects.create(
        reviewer=reviewer_b, application=other, source=ConflictSource.ORGANISER, reason="friend"
    )
    users = {
        "anonymous": None,
        "founder": founder,
        "reviewer_a": reviewer_a,
        "reviewer_b": reviewer_b,
        "organiser": make_organiser(),
    }
    objects = {
        "assignment": assignment,
        "application": application,
        "review": review,
        "conflict": conflict,
        "change": ReviewChange.objects.get(review=review),
        "profile": reviewer_a.reviewer_profile,
        "rubric": RubricChange.objects.create(call=call, changed_at=review.submitted_at, weights=[], reviews_changed=0),
    }
    return users, objects


def test_every_review_admin_url_is_in_the_matrix():
    names = {
        pattern.name
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "reviews"
        for pattern in model_admin.get_urls()
        if pattern.name
    }
    assert names == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client, world, name):
    users, objects = world
    key, expected = MATRIX[name]
    url = reverse(f"admin:{name}", args=[objects[key].pk] if key else [])
    seen = {}
    for role in ROLES:
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        response = client.get(url)
        seen[role] = response.status_code
        if response.status_code == LOGIN:
            assert reverse("admin:login") in response["Location"]
    assert seen == expected


def test_superuser_organiser_sees_everything_but_my_reviews(client, world):
    from accounts.models import User

    boss = User.objects.create_superuser("boss@example.org", "boss@example.org", "pw-123456789")
    client.force_login(boss)
    assert client.get(reverse("admin:reviews_review_changelist")).status_code == 200
    assert client.get(reverse("admin:reviews_myreview_changelist")).status_code == 403


def test_reviewer_admin_index_shows_only_my_reviews(client, world):
    users, _objects = world
    client.force_login(users["reviewer_a"])
    text = client.get(reverse("admin:index")).content.decode()
    assert "My reviews" in text
    for other in ("Review progress by application", "Assignments", "Conflicts of interest", "Calls", "Applications"):
        assert other not in text
