import random
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from applications.models import Status
from reviews import services
from reviews.models import Assignment, AssignmentState, Conflict, ConflictSource, Review, ReviewStatus
from tests.factories.applications import ApplicationFactory
from tests.factories.calls import CallFactory
from tests.reviews.conftest import make_reviewer, submit_review, submitted_app

pytestmark = pytest.mark.django_db


def active(call):
    return Assignment.objects.filter(application__call=call, state=AssignmentState.ACTIVE)


def loads(call, reviewers):
    counts = Counter(active(call).values_list("reviewer_id", flat=True))
    return [counts[r.pk] for r in reviewers]


def per_application(call):
    return Counter(active(call).values_list("application_id", flat=True))


def snapshot(call):
    return sorted(Assignment.objects.filter(application__call=call).values_list("pk", "reviewer_id", "state"))


def test_every_application_gets_k_balanced_reviewers(call):
    reviewers = [make_reviewer() for _ in range(7)]
    apps = [submitted_app(call) for _ in range(10)]

    report = services.assign_reviewers(call, seed=1)

    assert report.created == 30 and report.short == []
    assert all(per_application(call)[a.pk] == 3 for a in apps)
    counts = loads(call, reviewers)
    assert max(counts) - min(counts) <= 1
    assert sum(counts) == 30


def test_drafts_and_withdrawn_applications_get_no_reviewer(call):
    make_reviewer(), make_reviewer(), make_reviewer()
    draft = ApplicationFactory(call=call)
    withdrawn = submitted_app(call, status=Status.WITHDRAWN)
    other_call_app = submitted_app(CallFactory())

    services.assign_reviewers(call, seed=1)

    assert not Assignment.objects.filter(application__in=[draft, withdrawn, other_call_app]).exists()


@pytest.mark.parametrize("seed", range(6))
def test_invariants_over_random_data(call, seed):
    """K each (or every eligible reviewer), never a conflict, caps respected, balance, idempotent."""
    rng = random.Random(seed)
    call.reviewers_per_application = rng.randint(1, 4)
    call.save()
    k = call.reviewers_per_application
    reviewers = [
        make_reviewer(cap=rng.choice([None, None, None, rng.randint(1, 6)])) for _ in range(rng.randint(k, 12))
    ]
    apps = [submitted_app(call) for _ in range(rng.randint(3, 30))]
    for _ in range(rng.randint(0, len(apps))):
        services.declare_conflict(
            reviewer=rng.choice(reviewers), application=rng.choice(apps), source=ConflictSource.ORGANISER, reason="x"
        )
    # Some work already exists and must survive.
    first = services.assign_reviewers(call, seed=seed)
    started = list(active(call)[:3])
    for assignment in started:
        submit_review(assignment)
    before = snapshot(call)

    again = services.assign_reviewers(call, seed=seed + 100)

    assert again.created == 0 and snapshot(call) == before  # idempotent
    conflicts = set(Conflict.objects.values_list("reviewer_id", "application_id"))
    pairs = set(active(call).values_list("reviewer_id", "application_id"))
    assert not pairs & conflicts
    caps = {r.pk: r.reviewer_profile.max_assignments for r in reviewers}
    per_reviewer = Counter(r for r, _a in pairs)
    assert all(caps[r] is None or per_reviewer[r] <= caps[r] for r in caps)
    counts = per_application(call)
    short = {s.application_id for s in first.short}
    for app in apps:
        if app.pk in short:
            assert counts[app.pk] < k
        else:
            assert counts[app.pk] == k
    assert Review.objects.filter(assignment__in=started, status=ReviewStatus.SUBMITTED).count() == len(started)
    # Without caps, conflicts leave loads balanced too.
    uncapped = [r for r in reviewers if caps[r.pk] is None]
    if uncapped and not short and all(caps[r.pk] is None for r in reviewers):
        values = [per_reviewer[r.pk] for r in uncapped]
        assert max(values) - min(values) <= 1


@pytest.mark.parametrize("seed", range(4))
def test_sparse_conflicts_keep_loads_balanced(call, seed):
    rng = random.Random(seed)
    reviewers = [make_reviewer() for _ in range(6)]
    apps = [submitted_app(call) for _ in range(17)]
    for app in rng.sample(apps, 6):
        services.declare_conflict(
            reviewer=rng.choice(reviewers), application=app, source=ConflictSource.ORGANISER, reason="x"
        )

    report = services.assign_reviewers(call, seed=seed)

    assert report.short == []
    counts = loads(call, reviewers)
    assert max(counts) - min(counts) <= 1, counts


def test_cap_is_respected(call):
    capped = make_reviewer(cap=2)
    others = [make_reviewer() for _ in range(3)]
    for _ in range(8):
        submitted_app(call)

    services.assign_reviewers(call, seed=3)

    assert loads(call, [capped]) == [2]
    assert sum(loads(call, others)) == 22


def test_rerun_fills_gaps_and_keeps_started_work(call):
    for _ in range(4):
        make_reviewer()
    apps = [submitted_app(call) for _ in range(4)]
    services.assign_reviewers(call, seed=1)
    draft_assignment = active(call).filter(application=apps[0]).first()
    services.save_review(draft_assignment, by=draft_assignment.reviewer, scores={}, comments="started")
    released = active(call).filter(application=apps[1]).first()
    services.declare_conflict(
        reviewer=released.reviewer, application=apps[1], source=ConflictSource.REVIEWER, reason="friend"
    )
    new_app = submitted_app(call)
    newcomer = make_reviewer()
    before = {a.pk: (a.reviewer_id, a.application_id) for a in Assignment.objects.all()}

    report = services.assign_reviewers(call, seed=2)

    assert report.created == 4  # one refill for the released seat, three for the new application
    after = {a.pk: (a.reviewer_id, a.application_id) for a in Assignment.objects.all()}
    assert all(after[pk] == pair for pk, pair in before.items())
    assert Assignment.objects.get(pk=released.pk).state == AssignmentState.CONFLICTED
    assert not active(call).filter(application=apps[1], reviewer=released.reviewer).exists()
    assert per_application(call)[apps[1].pk] == 3 and per_application(call)[new_app.pk] == 3
    assert Review.objects.get(assignment=draft_assignment).comments == "started"
    assert loads(call, [newcomer])[0] >= 1  # the idle newcomer is chosen first


def test_short_applications_are_reported_by_the_command(call, capsys):
    make_reviewer(), make_reviewer()
    app = submitted_app(call, startup_name="Lonely AI")

    with pytest.raises(CommandError) as error:
        call_command("assign_reviewers", call.slug)

    assert error.value.returncode == 2
    out = capsys.readouterr().out
    assert "short of eligible reviewers" in out
    assert f"#{app.pk} Lonely AI: 2 of 3 reviewers" in out


def test_command_success_and_unknown_call(call, capsys):
    for _ in range(3):
        make_reviewer()
    submitted_app(call)
    call_command("assign_reviewers", str(call.pk), "--seed", "4")
    assert "3 new assignments" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No call"):
        call_command("assign_reviewers", "no-such-call")


def test_organiser_runs_automatic_assignment_from_the_calls_admin(client, call, organiser):
    for _ in range(3):
        make_reviewer()
    submitted_app(call)
    client.force_login(organiser)

    response = client.post(
        reverse("admin:calls_call_changelist"),
        {"action": "assign_reviewers_automatically", "_selected_action": [call.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert active(call).count() == 3
    assert "3 new assignments" in response.content.decode()


def test_reviewer_cannot_run_call_actions(client, call, reviewer_a):
    client.force_login(reviewer_a)
    response = client.post(
        reverse("admin:calls_call_changelist"),
        {"action": "assign_reviewers_automatically", "_selected_action": [call.pk]},
    )
    assert response.status_code == 403
    assert not Assignment.objects.exists()


def test_manual_assignment_with_intermediate_form(client, call, organiser):
    meta, hf = make_reviewer("meta", ["meta.com"]), make_reviewer("hugging_face", ["huggingface.co"])
    plain = submitted_app(call)
    hf_startup = submitted_app(call, website="https://www.huggingface.co/acme")
    draft = ApplicationFactory(call=call)
    client.force_login(organiser)
    url = reverse("admin:applications_application_changelist")
    selected = [plain.pk, hf_startup.pk, draft.pk]

    form_page = client.post(url, {"action": "assign_reviewers_by_hand", "_selected_action": selected})
    assert form_page.status_code == 200
    assert "Assign reviewers" in form_page.content.decode()
    assert not Assignment.objects.exists()

    response = client.post(
        url,
        {
            "action": "assign_reviewers_by_hand",
            "_selected_action": selected,
            "apply": "1",
            "reviewers": [meta.pk, hf.pk],
        },
        follow=True,
    )

    assert response.status_code == 200
    assert set(Assignment.objects.values_list("reviewer_id", "application_id")) == {
        (meta.pk, plain.pk),
        (hf.pk, plain.pk),
        (meta.pk, hf_startup.pk),
    }
    text = response.content.decode()
    assert "3 assignments created." in text
    assert "1 skipped: conflict of interest" in text
    assert "2 skipped: application not submitted." in text


def test_manual_assignment_from_the_progress_overview(client, call, organiser, reviewer_a):
    app = submitted_app(call)
    client.force_login(organiser)
    client.post(
        reverse("admin:reviews_applicationprogress_changelist"),
        {
            "action": "assign_reviewers_by_hand",
            "_selected_action": [app.pk],
            "apply": "1",
            "reviewers": [reviewer_a.pk],
        },
    )
    assert Assignment.objects.filter(application=app, reviewer=reviewer_a).exists()


def test_summaries_follow_every_service_write(call):
    """The overview's stored figures equal a fresh computation after assignment, reviews and conflicts."""
    from reviews.models import ReviewSummary
    from reviews.services.summaries import refresh_summaries

    reviewers = [make_reviewer() for _ in range(4)]
    apps = [submitted_app(call) for _ in range(5)]
    services.assign_reviewers(call, seed=9)
    for assignment in active(call)[:6]:
        submit_review(assignment, value=1 + assignment.pk % 4)
    victim = active(call).filter(review__isnull=False).first()
    services.declare_conflict(
        reviewer=victim.reviewer, application=victim.application, source=ConflictSource.ORGANISER, reason="x"
    )
    services.assign_manually(type(apps[0]).objects.filter(pk=apps[0].pk), reviewers)

    stored = {
        s.pk: (s.assigned_count, s.submitted_count, s.mean_score, s.score_spread) for s in ReviewSummary.objects.all()
    }
    refresh_summaries([a.pk for a in apps])
    fresh = {
        s.pk: (s.assigned_count, s.submitted_count, s.mean_score, s.score_spread) for s in ReviewSummary.objects.all()
    }
    assert stored == fresh and len(fresh) == 5
    assert fresh[apps[0].pk][0] == 4 or victim.application_id == apps[0].pk
