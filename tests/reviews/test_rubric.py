"""Scores follow the rubric: a weight change rescores every review, in bulk, with history; scales and
criteria are fixed once scores exist; a score outside its criterion's scale is refused by PostgreSQL."""

import json

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from calls.models import Criterion
from cohorts import selectors
from cohorts.models import RunTrigger, Section
from cohorts.shortlist import ranking, scores
from cohorts.shortlist.services import StaleRun, lock_run, run_shortlist
from reviews import exports
from reviews.models import Review, ReviewerSummary, ReviewSummary, RubricChange, Score
from reviews.services import refresh_call_summaries
from reviews.services import rubric as rubric_service
from reviews.services.scoring import weighted_score
from tests.admin_forms import change_form_data, inline_prefix
from tests.factories.reviews import AssignmentFactory
from tests.reviews.conftest import make_reviewer, submit_review, submitted_app

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")

# Scores of each application's two reviews, by criterion in rubric order (scales 5, 5, 4).
GRID = [
    [(5, 1, 1), (4, 2, 2)],
    [(1, 5, 4), (2, 5, 3)],
    [(3, 3, 3), (3, 4, 1)],
    [(2, 2, 4), (5, 5, 4)],
    [(4, 4, 2), (1, 3, 4)],
]


@pytest.fixture
def scored(call, reviewer_a, reviewer_b):
    """Five applications, each with two submitted reviews and a draft review by a third reviewer."""
    criteria = list(call.criteria.order_by("order"))
    third = make_reviewer("scaleway", ["scaleway.com"])
    apps = []
    for i, pair in enumerate(GRID):
        app = submitted_app(call, startup_name=f"Startup {i}")
        apps.append(app)
        for reviewer, values in zip((reviewer_a, reviewer_b), pair, strict=True):
            assignment = AssignmentFactory(application=app, reviewer=reviewer)
            submit_review(assignment, scores={c.pk: v for c, v in zip(criteria, values, strict=True)})
        draft = AssignmentFactory(application=app, reviewer=third)
        submit_review(draft, scores={criteria[0].pk: 2}, submit=False, recommendation="", confidence=None)
    return apps


def recomputed(call) -> dict[int, float]:
    """Each scored review's weighted score from its scores and the rubric as it is now (Python)."""
    weights = dict(call.criteria.values_list("pk", "weight"))
    result = {}
    for review in Review.objects.filter(call=call, weighted_score__isnull=False).prefetch_related("scores"):
        result[review.pk] = weighted_score((weights[s.criterion_id], s.value) for s in review.scores.all())
    return result


def stored(call) -> dict[int, float]:
    return dict(Review.objects.filter(call=call, weighted_score__isnull=False).values_list("pk", "weighted_score"))


def summaries(call):
    mean = dict(ReviewSummary.objects.filter(application__call=call).values_list("application_id", "mean_score"))
    spread = dict(ReviewSummary.objects.filter(application__call=call).values_list("application_id", "score_spread"))
    sums = dict(ReviewerSummary.objects.filter(call=call).values_list("reviewer_id", "score_sum"))
    squares = dict(ReviewerSummary.objects.filter(call=call).values_list("reviewer_id", "score_square_sum"))
    return mean, spread, sums, squares


def approx_dict(values):
    return {k: (None if v is None else pytest.approx(v, rel=1e-12)) for k, v in values.items()}


def change_first_weight(call, organiser, weight=1):
    first = call.criteria.order_by("order").first()
    return rubric_service.change_weights(call, by=organiser, weights={first.pk: weight})


def test_weight_change_rescores_every_review_with_history(call, scored, organiser):
    before = stored(call)
    assert before == recomputed(call)
    draft = Review.objects.get(call=call, status="draft", assignment__application=scored[0])

    change = change_first_weight(call, organiser, weight=1)  # weights 3, 2, 1 -> 1, 2, 1

    after = stored(call)
    assert after == recomputed(call)  # to the last bit
    assert after != before
    # (3, 3, 3) and (3, 4, 1) weigh 3 either way: only the eight others changed.
    assert change.reviews_changed == sum(1 for pk in after if after[pk] != before[pk]) == 8
    assert change.changed_by == organiser
    assert [(w["name"], w["before"], w["after"]) for w in change.weights] == [
        ("Open models", 3, 1),
        ("Team", 2, 2),
        ("Compute plan", 1, 1),
    ]
    assert RubricChange.objects.get() == change
    draft.refresh_from_db()
    assert draft.weighted_score is None  # a draft not scored on every criterion keeps none
    # The summaries are those a full refresh computes from the new scores.
    bulk = summaries(call)
    refresh_call_summaries(call)
    mean, spread, sums, squares = summaries(call)
    assert bulk[0] == approx_dict(mean) and bulk[1] == approx_dict(spread)
    assert bulk[2] == approx_dict(sums) and bulk[3] == approx_dict(squares)


@pytest.mark.postgres
@postgres_only
def test_on_postgres_the_rescore_is_bit_identical_and_makes_runs_stale(call, scored, organiser):
    run = run_shortlist(call, trigger=RunTrigger.COMMAND, by=organiser)
    change = change_first_weight(call, organiser, weight=7)
    assert stored(call) == recomputed(call)
    assert change.reviews_changed == 8 and RubricChange.objects.filter(call=call).count() == 1
    run.refresh_from_db()
    assert run.stale_since == change.changed_at and run.is_stale
    with pytest.raises(StaleRun, match="stale: the rubric's weights changed"):
        lock_run(run, by=organiser)


def test_no_change_no_history(call, scored, organiser):
    first = call.criteria.order_by("order").first()
    assert rubric_service.change_weights(call, by=organiser, weights={first.pk: first.weight}) is None
    assert not RubricChange.objects.exists()


def test_weights_before_any_score_change_without_history(call, organiser):
    assert change_first_weight(call, organiser, weight=9) is None
    assert call.criteria.order_by("order").first().weight == 9
    assert not RubricChange.objects.exists()


def test_stale_run_cannot_be_locked_and_its_page_says_run_again(call, scored, organiser, client):
    run = run_shortlist(call, trigger=RunTrigger.COMMAND, by=organiser)
    change_first_weight(call, organiser)
    run.refresh_from_db()
    assert run.is_stale
    with pytest.raises(StaleRun) as error:
        lock_run(run, by=organiser)
    assert "Run the shortlist again, then lock the new run." in str(error.value)
    client.force_login(organiser)
    page = client.get(reverse("admin:cohorts_shortlistrun_change", args=[run.pk])).content.decode()
    assert "Stale, run again" in page
    assert reverse("admin:cohorts_shortlistrun_lock", args=[run.pk]) not in page
    # Through the admin too: the lock is refused with the message, nothing is locked.
    response = client.post(reverse("admin:cohorts_shortlistrun_lock", args=[run.pk]), follow=True)
    assert "This run is stale" in response.content.decode()
    assert selectors.locked_run(call) is None
    # A new run is not stale.
    fresh = run_shortlist(call, trigger=RunTrigger.COMMAND, by=organiser)
    assert not fresh.is_stale


def test_export_and_every_shortlist_method_follow_the_current_rubric(call, scored, organiser):
    change_first_weight(call, organiser, weight=1)
    expected = recomputed(call)
    rows = json.loads("".join(exports.json_export(call)))["reviews"]
    assert len(rows) == 10
    exported = {(r["application_id"], r["reviewer_id"]): r["weighted_score"] for r in rows}
    reviews = Review.objects.filter(call=call, status="submitted").values_list(
        "pk", "assignment__application_id", "assignment__reviewer_id"
    )
    assert exported == {(app, reviewer): expected[pk] for pk, app, reviewer in reviews}

    # Each method's scores, from the recomputed weighted scores, are those a run ranks.
    counted = (
        selectors.counted_reviews(call)
        .order_by("pk")
        .values_list("pk", "assignment__application_id", "assignment__reviewer_id")
    )
    from_rubric = ranking.method_scores((app, reviewer, expected[pk]) for pk, app, reviewer in counted)
    field = scores.load_field(call)
    for i, app in enumerate(field.ids):
        n, method_values = from_rubric[app]
        assert field.counts[i] == n
        for method in ranking.METHODS:
            assert field.scores[method][i] == pytest.approx(method_values[method], abs=1e-12)
    run = run_shortlist(call, trigger=RunTrigger.COMMAND, by=organiser)
    best = sorted(from_rubric, key=lambda app: -from_rubric[app][1][ranking.MEAN])[: call.cohort_size]
    shortlisted = {e.application_id for e in selectors.entries(run, Section.SHORTLIST)}
    assert shortlisted == set(best)


def test_scale_change_and_deletion_refused_once_scored(call, scored, organiser):
    team = call.criteria.get(name="Team")
    with pytest.raises(rubric_service.RubricFrozen, match="the scales cannot change any more"):
        rubric_service.set_scale(team, by=organiser, scale_max=10)
    with pytest.raises(rubric_service.RubricFrozen, match="a criterion cannot be deleted any more"):
        rubric_service.delete_criterion(team, by=organiser)
    team.refresh_from_db()
    assert team.scale_max == 5


def test_scale_change_and_deletion_allowed_before_any_score(call, organiser):
    team = call.criteria.get(name="Team")
    rubric_service.set_scale(team, by=organiser, scale_max=10)
    assert Criterion.objects.get(pk=team.pk).scale_max == 10
    rubric_service.delete_criterion(team, by=organiser)
    assert not Criterion.objects.filter(pk=team.pk).exists()


def test_weights_frozen_once_the_shortlist_is_locked(call, scored, organiser):
    call.shortlist_locked_at = timezone.now()  # as lock_run records it
    call.save(update_fields=["shortlist_locked_at"])
    before = stored(call)
    with pytest.raises(rubric_service.RubricFrozen, match="The shortlist of this call is locked"):
        change_first_weight(call, organiser)
    assert stored(call) == before and not RubricChange.objects.exists()


# The database's own guard.


def test_update_out_of_scale_value_refused(call, scored):
    score = Score.objects.filter(criterion__name="Compute plan").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.filter(pk=score.pk).update(value=5)  # the scale is 1 to 4


@pytest.mark.postgres
@postgres_only
def test_postgres_refuses_a_score_whose_scale_is_not_its_criterions(call, scored):
    score = Score.objects.filter(criterion__name="Compute plan").first()
    with pytest.raises(IntegrityError, match="score_scale_is_criterion_scale"), transaction.atomic():
        Score.objects.filter(pk=score.pk).update(value=9, scale_max=10)
    compute = Criterion.objects.get(call=call, name="Compute plan")
    with pytest.raises(IntegrityError, match="score_scale_is_criterion_scale"), transaction.atomic():
        Criterion.objects.filter(pk=compute.pk).update(scale_max=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            review=score.review, criterion=Criterion.objects.get(call=call, name="Team"), value=7, scale_max=7
        )
    assert Score.objects.filter(value__gt=4, criterion__name="Compute plan").count() == 0


# The admin form.


def call_page(client, call):
    return client.get(reverse("admin:calls_call_change", args=[call.pk]))


def post_rubric(client, call, edit, **extra):
    page = call_page(client, call)
    data = change_form_data(page)
    prefix = inline_prefix(page, Criterion)
    forms = {data[f"{prefix}-{i}-id"]: i for i in range(int(data[f"{prefix}-TOTAL_FORMS"]))}
    for criterion_id, field, value in edit:
        data[f"{prefix}-{forms[str(criterion_id)]}-{field}"] = value
    data.update(extra)
    return client.post(reverse("admin:calls_call_change", args=[call.pk]), data)


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


def test_admin_warns_before_rescoring_then_rescores_on_confirmation(call, scored, organiser_client):
    first = call.criteria.order_by("order").first()
    response = post_rubric(organiser_client, call, [(first.pk, "weight", "1")])
    assert response.status_code == 200
    page = response.content.decode()
    assert "10 reviews will be scored again with the new weights" in page
    assert "tick “Rescore the reviews with the new weights”" in page
    assert Criterion.objects.get(pk=first.pk).weight == 3 and not RubricChange.objects.exists()

    response = post_rubric(organiser_client, call, [(first.pk, "weight", "1")], confirm_rubric_change="on")
    assert response.status_code == 302
    assert Criterion.objects.get(pk=first.pk).weight == 1
    change = RubricChange.objects.get()
    assert change.reviews_changed == 8
    assert stored(call) == recomputed(call)
    history = organiser_client.get(reverse("admin:reviews_rubricchange_changelist")).content.decode()
    assert "Open models: 3 → 1" in history


def test_admin_refuses_a_scale_change_and_a_deletion_with_the_reason(call, scored, organiser_client):
    team = call.criteria.get(name="Team")
    response = post_rubric(organiser_client, call, [(team.pk, "scale_max", "10")])
    assert response.status_code == 200
    assert "the scales cannot change any more" in response.content.decode()
    response = post_rubric(organiser_client, call, [(team.pk, "DELETE", "on")])
    assert response.status_code == 200
    assert "a criterion cannot be deleted any more" in response.content.decode()
    team.refresh_from_db()
    assert team.scale_max == 5


def test_admin_refusal_in_french(call, scored, organiser, organiser_client):
    organiser.language = "fr"
    organiser.save()
    team = call.criteria.get(name="Team")
    response = post_rubric(organiser_client, call, [(team.pk, "scale_max", "10")])
    page = response.content.decode()
    assert response.status_code == 200
    assert "les échelles ne peuvent plus changer" in page
