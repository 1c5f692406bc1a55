import datetime as dt
import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from applications.models import Application, Status, StatusChange
from applications.services import change_status
from cohorts import selectors
from cohorts.models import DecisionKind, RunTrigger, ShortlistOverride, ShortlistRun
from cohorts.shortlist.services import (
    ShortlistError,
    ShortlistLocked,
    StaleRun,
    lock_run,
    organisers,
    run_shortlist,
    set_override,
)
from reminders.sweep import run_sweep
from reviews.models import AssignmentState, Conflict, ConflictSource, ReviewStatus
from tests.cohorts.conftest import review, submitted
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.cohorts import organiser as group_organiser
from tests.factories.reviews import ReviewerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def field(call, reviewers):
    """Seven applications with two or three reviews, one with a single review."""
    r1, r2, r3 = reviewers
    apps = {}
    for i, (name, scores) in enumerate(
        [
            ("Alpaca", [4.5, 4.0]),
            ("Bison", [4.0, 4.0, 3.5]),
            ("Cobra", [3.0, 3.5]),
            ("Dingo", [2.0, 3.0]),
            ("Eagle", [2.5, 2.5, 2.0]),
            ("Ferret", [1.0, 1.5]),
            ("Gecko", [5.0]),
        ]
    ):
        app = submitted(call, name, minutes=i)
        for reviewer, score in zip((r1, r2, r3), scores, strict=False):
            review(app, reviewer, score)
        apps[name] = app
    return apps


def section_names(run, section):
    return [e.application.startup_name for e in selectors.entries(run, section)]


def all_entries(run):
    """Every application's place in the run, by application id (from its packed ranking)."""
    ranking = selectors.ranking(run)
    return [ranking.entry(i, run) for i in range(len(ranking))]


def entry_of(run, application):
    return next(e for e in all_entries(run) if e.application_id == application.pk)


def snapshot(run):
    return [
        (e.application_id, e.section, e.rank, e.score_mean, e.score_zscore, e.score_percentile, e.stable)
        for e in all_entries(run)
    ]


def test_run_ranks_into_sections(call, field, organiser, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = run_shortlist(call, trigger=RunTrigger.COMMAND)
    assert run.method == "mean"
    assert section_names(run, "shortlist") == ["Alpaca", "Bison"]
    assert section_names(run, "waitlist") == ["Cobra", "Dingo"]
    assert section_names(run, "ranked") == ["Eagle", "Ferret"]
    assert section_names(run, "not_enough") == ["Gecko"]
    alpaca = entry_of(run, field["Alpaca"])
    assert (alpaca.rank, alpaca.score, alpaca.score_mean, alpaca.review_count) == (1, 4.25, 4.25, 2)
    assert sorted(e.rank for e in all_entries(run) if e.rank is not None) == [1, 2, 3, 4, 5, 6]
    assert entry_of(run, field["Gecko"]).rank is None
    # The organiser is told, once for this run.
    [message] = mail.outbox
    assert message.to == [organiser.email]
    assert message.subject == f"Shortlist ready for {call.title}"
    assert "1. Alpaca (4.250" in message.body
    assert f"/admin/cohorts/shortlistrun/{run.pk}/change/" in message.body


def test_only_submitted_reviews_on_active_unconflicted_assignments_count(call, reviewers):
    r1, r2, r3 = reviewers
    app = submitted(call, "Alpaca")
    review(app, r1, 4.0)
    review(app, r2, 2.0)
    review(app, r3, 1.0, status=ReviewStatus.DRAFT, submitted_at=None)  # draft: not counted
    conflicted = review(app, ReviewerFactory(), 1.0)
    conflicted.assignment.state = AssignmentState.CONFLICTED
    conflicted.assignment.save()
    declared = review(app, ReviewerFactory(), 1.0)
    Conflict.objects.create(
        reviewer=declared.assignment.reviewer, application=app, source=ConflictSource.REVIEWER, reason="ex-colleague"
    )
    withdrawn = ApplicationFactory(call=call, status=Status.WITHDRAWN, submitted_at=call.closes_at)
    review(withdrawn, r1, 5.0)
    run = run_shortlist(call, trigger=RunTrigger.COMMAND)
    [entry] = all_entries(run)
    assert (entry.application_id, entry.review_count, entry.score_mean) == (app.pk, 2, 3.0)


def test_same_data_same_result_and_method_choice(call, field):
    first = run_shortlist(call, trigger=RunTrigger.COMMAND)
    second = run_shortlist(call, trigger=RunTrigger.ADMIN)
    assert snapshot(first) == snapshot(second)
    assert first.parameters["input_digest"] == second.parameters["input_digest"]
    by_z = run_shortlist(call, trigger=RunTrigger.ADMIN, method="zscore")
    assert by_z.method == "zscore"
    assert all(e.score == e.score_zscore for e in all_entries(by_z))
    assert selectors.latest_run(call) == by_z


def test_pins_and_exclusions_are_honoured(call, field, organiser):
    set_override(field["Ferret"], kind=DecisionKind.PIN, reason="Strategic fit with Scaleway", by=organiser)
    set_override(field["Alpaca"], kind=DecisionKind.EXCLUDE, reason="Not eligible: US company", by=organiser)
    run = run_shortlist(call, trigger=RunTrigger.ADMIN, by=organiser)
    assert section_names(run, "shortlist") == ["Bison", "Ferret"]
    assert section_names(run, "waitlist") == ["Cobra", "Dingo"]
    assert section_names(run, "excluded") == ["Alpaca"]
    assert entry_of(run, field["Ferret"]).pinned
    assert run.parameters["excluded"] == {str(field["Alpaca"].pk): "Not eligible: US company"}


def test_override_rules(call, field, organiser):
    with pytest.raises(ShortlistError):
        set_override(field["Alpaca"], kind=DecisionKind.PIN, reason="  ")
    set_override(field["Alpaca"], kind=DecisionKind.PIN, reason="a")
    set_override(field["Bison"], kind=DecisionKind.PIN, reason="b")
    with pytest.raises(ShortlistError, match="already pinned"):
        set_override(field["Cobra"], kind=DecisionKind.PIN, reason="c")  # the cohort has 2 places
    set_override(field["Alpaca"], kind=DecisionKind.EXCLUDE, reason="changed our mind")  # replaces the pin
    assert ShortlistOverride.objects.get(application=field["Alpaca"]).kind == DecisionKind.EXCLUDE
    draft = ApplicationFactory(call=call)
    with pytest.raises(ShortlistError, match="submitted"):
        set_override(draft, kind=DecisionKind.EXCLUDE, reason="x")


def test_lock_sets_statuses_with_history_and_freezes_the_call(call, field, organiser):
    run = run_shortlist(call, trigger=RunTrigger.ADMIN, by=organiser)
    lock_run(run, by=organiser)
    statuses = {name: app.__class__.objects.get(pk=app.pk).status for name, app in field.items()}
    assert statuses == {
        "Alpaca": Status.SHORTLISTED,
        "Bison": Status.SHORTLISTED,
        "Cobra": Status.WAITLISTED,
        "Dingo": Status.WAITLISTED,
        "Eagle": Status.REJECTED,
        "Ferret": Status.REJECTED,
        "Gecko": Status.REJECTED,
    }
    change = StatusChange.objects.get(application=field["Alpaca"])
    assert (change.from_status, change.to_status, change.changed_by) == (
        Status.SUBMITTED,
        Status.SHORTLISTED,
        organiser,
    )
    assert selectors.locked_run(call) == run
    assert [a.startup_name for a in selectors.waitlist_in_order(call)] == ["Cobra", "Dingo"]
    assert [a.startup_name for a in selectors.shortlist_in_order(call)] == ["Alpaca", "Bison"]
    with pytest.raises(ShortlistLocked):
        run_shortlist(call, trigger=RunTrigger.ADMIN)
    with pytest.raises(ShortlistLocked):
        lock_run(run, by=organiser)
    with pytest.raises(ShortlistLocked):
        set_override(field["Eagle"], kind=DecisionKind.PIN, reason="too late")


def test_rows_are_stored_for_the_sections_people_act_on_then_for_everyone_at_lock(call, field, organiser):
    set_override(field["Dingo"], kind=DecisionKind.EXCLUDE, reason="Not eligible", by=organiser)
    run = run_shortlist(call, trigger=RunTrigger.ADMIN, by=organiser)
    stored = dict(run.entries.values_list("application__startup_name", "section"))
    assert stored == {"Alpaca": "shortlist", "Bison": "shortlist", "Cobra": "waitlist", "Eagle": "waitlist",
                      "Dingo": "excluded"}  # fmt: skip
    # Every row agrees with the packed ranking, to the last bit.
    packed = {e.application_id: e for e in all_entries(run)}
    for row in run.entries.all():
        assert snapshot_row(row) == snapshot_row(packed[row.application_id])

    lock_run(run, by=organiser)
    assert run.entries.count() == len(field)
    assert sorted(map(snapshot_row, run.entries.all())) == sorted(map(snapshot_row, all_entries(run)))


def snapshot_row(e):
    return (e.application_id, e.section, e.rank, e.score, e.score_mean, e.score_zscore, e.score_percentile,
            e.rank_mean, e.rank_zscore, e.rank_percentile, e.review_count, e.pinned, e.stable)  # fmt: skip


def test_lock_records_what_change_status_records_for_every_application(call, field, organiser):
    """The lock sets statuses in bulk: one history row per application it moves, as change_status
    writes it, and nothing for an application an organiser already moved by hand."""
    change_status(field["Eagle"], Status.REJECTED, by=organiser, note="Out of scope")
    run = run_shortlist(call, trigger=RunTrigger.ADMIN, by=organiser)
    lock_run(run, by=organiser)
    run.refresh_from_db()
    changes = StatusChange.objects.filter(note=f"Shortlist run #{run.pk} locked")
    expected = {
        "Alpaca": Status.SHORTLISTED,
        "Bison": Status.SHORTLISTED,
        "Cobra": Status.WAITLISTED,
        "Dingo": Status.WAITLISTED,
        "Ferret": Status.REJECTED,
        "Gecko": Status.REJECTED,
    }
    assert {c.application.startup_name: c.to_status for c in changes} == expected
    assert {(c.from_status, c.changed_by) for c in changes} == {(Status.SUBMITTED, organiser)}
    for name, status in expected.items():
        application = Application.objects.get(pk=field[name].pk)
        change = changes.get(application=application)
        assert application.status == status
        assert application.updated_at == change.changed_at >= run.locked_at
    eagle = Application.objects.get(pk=field["Eagle"].pk)
    assert eagle.status == Status.REJECTED
    assert [c.note for c in eagle.status_changes.all()] == ["Out of scope"]


def test_lock_refuses_an_old_or_stale_run(call, field, reviewers, organiser):
    old = run_shortlist(call, trigger=RunTrigger.ADMIN)
    latest = run_shortlist(call, trigger=RunTrigger.ADMIN)
    with pytest.raises(StaleRun, match="newer"):
        lock_run(old, by=organiser)
    review(field["Gecko"], reviewers[1], 5.0)  # a late review changes the ranking
    with pytest.raises(StaleRun, match="changed"):
        lock_run(latest, by=organiser)
    assert not StatusChange.objects.exists()
    fresh = run_shortlist(call, trigger=RunTrigger.ADMIN)
    assert section_names(fresh, "shortlist") == ["Gecko", "Alpaca"]
    lock_run(fresh, by=organiser)


def test_sweep_runs_the_shortlist_once_after_the_review_deadline(call, field, organiser):
    before = call.review_deadline - dt.timedelta(seconds=1)
    assert run_sweep(before).shortlists == []
    report = run_sweep(call.review_deadline)
    assert [run.trigger for run in report.shortlists] == [RunTrigger.BEAT]
    assert run_sweep(call.review_deadline + dt.timedelta(hours=1)).shortlists == []
    run_shortlist(call, trigger=RunTrigger.ADMIN)  # organisers may still re-run by hand
    assert run_sweep(call.review_deadline + dt.timedelta(hours=2)).shortlists == []
    assert ShortlistRun.objects.filter(call=call, trigger=RunTrigger.BEAT).count() == 1


def test_command_json(call, field, capsys):
    call_command("shortlist", call.slug, "--json", "--method", "percentile")
    data = json.loads(capsys.readouterr().out)
    assert data["call"] == call.slug and data["method"] == "percentile"
    assert len(data["shortlist"]) == 2 and len(data["waitlist"]) == 2 and len(data["ranked"]) == 2
    assert [e["startup"] for e in data["not_enough_reviews"]] == ["Gecko"]
    first = data["shortlist"][0]
    assert set(first) >= {"application_id", "startup", "rank", "score", "scores"}
    assert set(first["scores"]) == {"mean", "zscore", "percentile"}
    assert first["score"] == first["scores"]["percentile"] and first["rank"] == 1


def test_command_text_and_errors(call, field, organiser, capsys):
    call_command("shortlist", str(call.pk))
    out = capsys.readouterr().out
    assert "Shortlist (2)" in out and "Alpaca" in out
    with pytest.raises(CommandError, match="No call"):
        call_command("shortlist", "nope")
    lock_run(selectors.latest_run(call), by=organiser)
    with pytest.raises(CommandError, match="locked"):
        call_command("shortlist", call.slug)


def test_ties_go_to_more_reviews_then_the_earlier_submission(call, reviewers):
    r1, r2, _ = reviewers
    late = submitted(call, "Late", minutes=30)
    early = submitted(call, "Early", minutes=10)  # higher id, submitted first
    busy = submitted(call, "Busy", minutes=50)
    for app in (late, early):
        review(app, r1, 4.0)
        review(app, r2, 3.0)
    for reviewer in reviewers:
        review(busy, reviewer, 3.5)
    run = run_shortlist(call, trigger=RunTrigger.COMMAND)
    assert section_names(run, "shortlist") == ["Busy", "Early"]
    assert section_names(run, "waitlist") == ["Late"]


def test_organisers_told_of_a_run_are_superusers_and_the_organisers_group(organiser):
    in_group = group_organiser()
    group_organiser(is_active=False)
    group_organiser(email="")
    ReviewerFactory()
    UserFactory(is_superuser=True, is_active=False)
    assert list(organisers()) == sorted([organiser, in_group], key=lambda u: u.pk)
