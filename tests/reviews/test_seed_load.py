from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from accounts.roles import is_reviewer
from applications.models import Application, Status
from reviews import services
from reviews.models import Assignment, Review, ReviewStatus, Score

pytestmark = pytest.mark.django_db


def test_seed_load_builds_a_reviewed_call(capsys):
    call_command(
        "seed_load",
        "--call=load-test",
        "--applications=25",
        "--reviewers=7",
        "--reviews-per-application=3",
        "--drafts=4",
        "--seed=3",
    )

    out = capsys.readouterr().out
    assert "29/29 applications (100%)" in out and "75 reviews" in out
    apps = Application.objects.filter(call__slug="load-test")
    assert apps.filter(status=Status.SUBMITTED).count() == 25
    assert apps.filter(status=Status.DRAFT, submitted_at__isnull=True).count() == 4
    assert all(
        len(set(Assignment.objects.filter(application=a).values_list("reviewer", flat=True))) == 3
        for a in apps[:25]
        if a.status == Status.SUBMITTED
    )
    loads = Counter(Assignment.objects.values_list("reviewer_id", flat=True))
    assert len(loads) == 7 and max(loads.values()) - min(loads.values()) <= 1
    reviews = Review.objects.all()
    assert reviews.count() == 75 and set(reviews.values_list("status", flat=True)) == {ReviewStatus.SUBMITTED}
    assert all(1 <= r.weighted_score <= 5 for r in reviews)
    assert Score.objects.count() == 75 * 5
    reviewer = Assignment.objects.first().reviewer
    assert is_reviewer(reviewer) and not reviewer.has_usable_password()
    # The data is consistent with the assignment service: nothing to add.
    assert services.assign_reviewers(apps.first().call).created == 0


def test_reviewers_score_differently():
    call_command("seed_load", "--call=harsh", "--applications=60", "--reviewers=4", "--reviews-per-application=4")
    means = {}
    for reviewer_id in set(Assignment.objects.values_list("reviewer_id", flat=True)):
        scores = Review.objects.filter(assignment__reviewer_id=reviewer_id).values_list("weighted_score", flat=True)
        means[reviewer_id] = sum(scores) / len(scores)
    assert max(means.values()) - min(means.values()) > 0.2


def test_running_again_adds_to_the_same_call():
    for _ in range(2):
        call_command("seed_load", "--call=again", "--applications=5", "--reviewers=3", "--reviews-per-application=2")
    assert Application.objects.filter(call__slug="again").count() == 10
    assert Review.objects.count() == 20


def test_refuses_more_reviews_than_reviewers():
    with pytest.raises(CommandError, match="distinct reviewers"):
        call_command("seed_load", "--call=x", "--applications=1", "--reviewers=2", "--reviews-per-application=3")
