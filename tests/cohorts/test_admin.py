import pytest
from django.urls import reverse

from applications.models import Status
from cohorts import selectors
from cohorts.models import DecisionKind, RunTrigger, ShortlistOverride, ShortlistRun
from cohorts.shortlist.services import run_shortlist
from tests.cohorts.conftest import review, submitted
from tests.factories.reviews import ReviewerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked_call(call, reviewers):
    for i in range(12):
        app = submitted(call, f"Startup {i:02d}", minutes=i)
        for reviewer in reviewers:
            review(app, reviewer, 1 + (i * 7 + reviewer.pk) % 5)
    return call


@pytest.fixture
def admin_client(client, organiser):
    client.force_login(organiser)
    return client


def run_url(run, view="change"):
    return reverse(f"admin:cohorts_shortlistrun_{view}", args=[run.pk])


def test_admin_action_runs_the_shortlist_and_shows_the_snapshot(admin_client, ranked_call):
    response = admin_client.post(
        reverse("admin:calls_call_changelist"),
        {"action": "run_shortlist_action", "_selected_action": [ranked_call.pk]},
    )
    run = ShortlistRun.objects.get(call=ranked_call)
    assert run.trigger == RunTrigger.ADMIN
    assert response.status_code == 302 and response.url == run_url(run)
    page = admin_client.get(run_url(run))
    assert page.status_code == 200
    html = page.content.decode()
    for heading in ("Shortlist (2)", "Waitlist (2)", "Ranked below (8)", "Mean", "Z-score", "Percentile"):
        assert heading in html
    first = run.entries.get(rank=1)
    assert first.application.startup_name in html
    assert "Lock this shortlist" in html


def test_snapshot_page_queries_are_bounded(admin_client, ranked_call, django_assert_max_num_queries):
    run = run_shortlist(ranked_call, trigger=RunTrigger.ADMIN)
    with django_assert_max_num_queries(20):
        assert admin_client.get(run_url(run)).status_code == 200


def test_rerun_with_another_method(admin_client, ranked_call):
    run = run_shortlist(ranked_call, trigger=RunTrigger.ADMIN)
    response = admin_client.post(run_url(run, "rerun"), {"method": "zscore"})
    new = ShortlistRun.objects.exclude(pk=run.pk).get()
    assert response.url == run_url(new)
    assert new.method == "zscore"


def test_lock_asks_for_confirmation_then_sets_statuses(admin_client, ranked_call):
    run = run_shortlist(ranked_call, trigger=RunTrigger.ADMIN)
    confirm = admin_client.get(run_url(run, "lock"))
    assert confirm.status_code == 200
    assert "Yes, lock the shortlist" in confirm.content.decode()
    run.refresh_from_db()
    assert run.locked_at is None  # looking at the confirmation changes nothing
    admin_client.post(run_url(run, "lock"))
    run.refresh_from_db()
    assert run.locked_at is not None
    assert ranked_call.applications.filter(status=Status.SHORTLISTED).count() == 2
    assert ranked_call.applications.filter(status=Status.WAITLISTED).count() == 2
    page = admin_client.get(run_url(run)).content.decode()
    assert "Lock this shortlist" not in page and "Run again" not in page
    # A locked shortlist cannot be re-run, even by a forged POST.
    admin_client.post(run_url(run, "rerun"), {"method": "mean"})
    assert ShortlistRun.objects.count() == 1


def test_pin_from_the_snapshot(admin_client, organiser, ranked_call):
    run = run_shortlist(ranked_call, trigger=RunTrigger.ADMIN)
    last = selectors.entries(run, "ranked")[-1].application
    add = reverse("admin:cohorts_shortlistoverride_add")
    form = admin_client.get(f"{add}?application={last.pk}&kind=pin")
    assert form.status_code == 200
    response = admin_client.post(add, {"application": last.pk, "kind": DecisionKind.PIN, "reason": "Partner request"})
    assert response.status_code == 302
    override = ShortlistOverride.objects.get()
    assert (override.application, override.created_by) == (last, organiser)
    rerun = run_shortlist(ranked_call, trigger=RunTrigger.ADMIN)
    assert rerun.entries.get(application=last).section == "shortlist"
    assert last.pk not in [e.application_id for e in selectors.entries(rerun, "ranked")]


def test_override_form_explains_refusals(admin_client, ranked_call):
    apps = list(ranked_call.applications.order_by("pk"))
    for app in apps[:2]:
        ShortlistOverride.objects.create(application=app, kind=DecisionKind.PIN, reason="x")
    response = admin_client.post(
        reverse("admin:cohorts_shortlistoverride_add"),
        {"application": apps[2].pk, "kind": DecisionKind.PIN, "reason": "one more"},
    )
    assert response.status_code == 200
    assert "already pinned" in response.content.decode()


def test_reviewers_cannot_see_shortlists(client, ranked_call):
    run = run_shortlist(ranked_call, trigger=RunTrigger.ADMIN)
    client.force_login(ReviewerFactory())
    assert client.get(run_url(run)).status_code == 403
    assert client.post(run_url(run, "lock")).status_code == 403
    run.refresh_from_db()
    assert run.locked_at is None


def test_runs_and_overrides_are_listed_for_organisers(admin_client, ranked_call):
    run = run_shortlist(ranked_call, trigger=RunTrigger.ADMIN)
    first = ranked_call.applications.first()
    ShortlistOverride.objects.create(application=first, kind=DecisionKind.EXCLUDE, reason="r")
    runs = admin_client.get(reverse("admin:cohorts_shortlistrun_changelist"))
    assert runs.status_code == 200 and run_url(run) in runs.content.decode()
    overrides = admin_client.get(reverse("admin:cohorts_shortlistoverride_changelist"))
    assert overrides.status_code == 200 and "Exclude from the shortlist" in overrides.content.decode()
