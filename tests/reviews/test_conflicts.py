import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reviews import domains, services
from reviews.models import Assignment, AssignmentState, Conflict, ConflictSource
from tests.factories.accounts import UserFactory
from tests.factories.applications import TeamMemberFactory
from tests.factories.reviews import AssignmentFactory
from tests.reviews.conftest import make_reviewer, submitted_app

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Jane@Meta.com", "meta.com"),
        ("a@b", None),
        ("", None),
        ("not-an-email", None),
    ],
)
def test_email_domain(value, expected):
    assert domains.email_domain(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.HuggingFace.co/acme", "huggingface.co"),
        ("http://acme.ai:8080/path?q=1", "acme.ai"),
        ("acme.ai", "acme.ai"),
        ("", None),
        ("https://", None),
    ],
)
def test_url_domain(value, expected):
    assert domains.url_domain(value) == expected


@pytest.mark.parametrize(
    "domain",
    ["gmail.com", "googlemail.com", "orange.fr", "proton.me", "example.org", "sub.example.com", "acme.test"],
)
def test_generic_domains_identify_nobody(domain):
    assert domains.is_generic(domain)
    assert domains.identifying([domain]) == set()


def test_domain_index_matches_same_parent_and_subdomains_only():
    index = domains.DomainIndex()
    index.add(1, ["meta.com", "fb.com"])
    index.add(2, ["eu.scaleway.com"])
    index.add(3, ["acme.co.uk", "gmail.com"])
    assert set(index.matches(["meta.com"])) == {1}
    assert set(index.matches(["research.fb.com"])) == {1}  # founder on a subdomain of the reviewer's
    assert set(index.matches(["scaleway.com"])) == {2}  # reviewer on a subdomain of the startup's
    assert index.matches(["other.co.uk"]) == {}  # sharing a public suffix is not a conflict
    assert index.matches(["gmail.com"]) == {}  # generic domains never count
    assert index.matches(["notmeta.com"]) == {}


def test_founder_email_conflicts_with_reviewer_profile_domain(call):
    meta = make_reviewer("meta", ["meta.com", "fb.com"])
    hf = make_reviewer("hugging_face", ["huggingface.co"])
    owner = UserFactory(email="founder@fb.com", username="founder@fb.com")
    app = submitted_app(call, owner=owner)

    result = services.detect_conflicts(type(app).objects.filter(pk=app.pk))

    assert result.found == 1
    conflict = Conflict.objects.get()
    assert (conflict.reviewer, conflict.application, conflict.source) == (meta, app, ConflictSource.EMAIL_DOMAIN)
    assert "fb.com" in conflict.reason
    assert not Conflict.objects.filter(reviewer=hf).exists()


def test_team_member_email_and_website_are_checked(call):
    hf = make_reviewer("hugging_face", ["huggingface.co"])
    scaleway = make_reviewer("scaleway", [], email="anne@scaleway.com")  # the reviewer's own e-mail counts
    advised = submitted_app(call)
    TeamMemberFactory(application=advised, email="advisor@huggingface.co")
    hosted = submitted_app(call, website="https://labs.scaleway.com/startup")

    services.assign_reviewers(call)

    assert set(Conflict.objects.values_list("reviewer_id", "application_id")) == {
        (hf.pk, advised.pk),
        (scaleway.pk, hosted.pk),
    }


def test_generic_mail_domains_never_conflict(call):
    make_reviewer("other", [], email="reviewer@gmail.com")
    submitted_app(call, owner=UserFactory(email="founder@gmail.com", username="founder@gmail.com"))
    services.assign_reviewers(call)
    assert not Conflict.objects.exists()


def test_domain_conflict_found_later_releases_the_assignment_and_is_refilled(call):
    meta = make_reviewer("meta", [])
    others = [make_reviewer("other") for _ in range(3)]
    app = submitted_app(call)
    Assignment.objects.create(reviewer=meta, application=app)
    meta.reviewer_profile.email_domains = ["meta.com"]
    services.save_reviewer_profile(meta.reviewer_profile)
    TeamMemberFactory(application=app, email="cto@meta.com")

    report = services.assign_reviewers(call, seed=1)

    assert report.released == 1
    assert Assignment.objects.get(reviewer=meta).state == AssignmentState.CONFLICTED
    assert set(
        Assignment.objects.filter(application=app, state=AssignmentState.ACTIVE).values_list("reviewer_id", flat=True)
    ) == {o.pk for o in others}


def test_reviewer_declares_a_conflict_from_their_review_page(client, call, reviewer_a):
    assignment = AssignmentFactory(reviewer=reviewer_a, application=submitted_app(call, startup_name="Acme"))
    client.force_login(reviewer_a)
    url = reverse("admin:reviews_myreview_conflict", args=[assignment.pk])

    empty = client.post(url, {"reason": "  "})
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.ACTIVE

    response = client.post(url, {"reason": "I advised the founders last year."}, follow=True)

    assert "Acme was removed from your reviews" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.CONFLICTED
    conflict = Conflict.objects.get()
    assert (conflict.source, conflict.declared_by, conflict.reason) == (
        ConflictSource.REVIEWER,
        reviewer_a,
        "I advised the founders last year.",
    )
    assert client.get(reverse("admin:reviews_myreview_change", args=[assignment.pk])).status_code == 404
    assert "Acme" not in client.get(reverse("admin:reviews_myreview_changelist")).content.decode()


def test_only_the_assigned_reviewer_declares_their_own_conflict(call, reviewer_a, reviewer_b):
    assignment = AssignmentFactory(reviewer=reviewer_a, application=submitted_app(call))
    with pytest.raises(PermissionDenied):
        services.declare_own_conflict(assignment, by=reviewer_b, reason="no")
    with pytest.raises(ValidationError):
        services.declare_own_conflict(assignment, by=reviewer_a, reason="")


def test_organiser_declares_a_conflict_in_the_admin(client, call, organiser, reviewer_a):
    app = submitted_app(call)
    assignment = AssignmentFactory(reviewer=reviewer_a, application=app)
    client.force_login(organiser)

    missing = client.post(reverse("admin:reviews_conflict_add"), {"reviewer": reviewer_a.pk, "application": app.pk})
    assert missing.status_code == 200 and not Conflict.objects.exists()

    response = client.post(
        reverse("admin:reviews_conflict_add"),
        {"reviewer": reviewer_a.pk, "application": app.pk, "reason": "Co-founded a company with the CEO."},
    )

    assert response.status_code == 302
    conflict = Conflict.objects.get()
    assert (conflict.source, conflict.declared_by) == (ConflictSource.ORGANISER, organiser)
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.CONFLICTED


def test_organiser_releases_assignments_with_the_list_action(client, call, organiser, reviewer_a):
    assignment = AssignmentFactory(reviewer=reviewer_a, application=submitted_app(call))
    client.force_login(organiser)
    url = reverse("admin:reviews_assignment_changelist")
    confirm = client.post(url, {"action": "release_for_conflict", "_selected_action": [assignment.pk]})
    assert confirm.status_code == 200 and Assignment.objects.get(pk=assignment.pk).state == AssignmentState.ACTIVE

    client.post(
        url, {"action": "release_for_conflict", "_selected_action": [assignment.pk], "apply": "1", "reason": "Investor"}
    )

    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.CONFLICTED
    assert Conflict.objects.get().reason == "Investor"


def test_reviewer_who_is_a_founder_or_team_member_is_in_conflict_even_on_gmail(call):
    reviewer = make_reviewer("other", [], email="sam@gmail.com")
    own = submitted_app(call, owner=reviewer)
    member_of = submitted_app(call)
    TeamMemberFactory(application=member_of, email="SAM@gmail.com")
    unrelated = submitted_app(call, owner=UserFactory(email="kim@gmail.com", username="kim@gmail.com"))

    services.assign_reviewers(call)

    conflicted = set(Conflict.objects.filter(reviewer=reviewer).values_list("application_id", flat=True))
    assert conflicted == {own.pk, member_of.pk}
    assert unrelated.pk not in conflicted
    assert Assignment.objects.filter(reviewer=reviewer, application=unrelated).exists()
