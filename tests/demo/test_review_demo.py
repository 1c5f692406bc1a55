import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from accounts.roles import is_organiser, is_reviewer
from demo.calls import CURRENT_SLUG
from reviews.models import Assignment, AssignmentState, Conflict, Review, ReviewStatus, WorkState
from reviews.selectors import my_assignments

pytestmark = pytest.mark.django_db


def test_demo_shows_real_review_work_and_is_idempotent(client):
    call_command("seed_demo")
    counts = (Assignment.objects.count(), Review.objects.count(), Conflict.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (
        Assignment.objects.count(),
        Review.objects.count(),
        Conflict.objects.count(),
        User.objects.count(),
    ) == counts

    organiser = User.objects.get(email="organiser@example.org")
    meta = User.objects.get(email="reviewer.meta@example.org")
    hf = User.objects.get(email="reviewer.hf@example.org")
    assert is_organiser(organiser) and is_reviewer(meta) and is_reviewer(hf)
    assert meta.reviewer_profile.get_organisation_display() == "Meta"
    assert hf.reviewer_profile.get_organisation_display() == "Hugging Face"

    states = sorted(a.work_state for a in my_assignments(meta))
    assert WorkState.TODO in states and WorkState.DRAFT in states and WorkState.SUBMITTED in states
    apps = Assignment.objects.filter(application__call__slug=CURRENT_SLUG, state=AssignmentState.ACTIVE)
    assert set(apps.values_list("application__startup_name", flat=True)) >= {"Sillon", "Klinikon", "Polderlex"}
    # Polderlex's advisor works at Hugging Face: the HF reviewer never gets it.
    assert Conflict.objects.filter(reviewer=hf, application__startup_name="Polderlex").exists()
    assert not apps.filter(reviewer=hf, application__startup_name="Polderlex").exists()
    assert Review.objects.filter(status=ReviewStatus.SUBMITTED).count() >= 8

    assert client.login(username="reviewer.meta@example.org", password="reviewer-demo-2026")
    todo = next(a for a in my_assignments(meta) if a.work_state == WorkState.TODO)
    page = client.get(reverse("admin:reviews_myreview_change", args=[todo.pk]))
    assert page.status_code == 200
    deck = client.get(reverse("applications:deck", kwargs={"pk": todo.application_id}))
    assert deck.status_code == 200 and b"".join(deck.streaming_content).startswith(b"%PDF-1.4")
