"""A run's packed ranking (cohorts.shortlist.snapshot): what is stored, read back, paged and shown."""

import math

import pytest
from django.urls import reverse

from cohorts import selectors
from cohorts.models import RunTrigger, ShortlistRanking
from cohorts.shortlist import snapshot
from cohorts.shortlist.admin import PAGE_SIZE
from cohorts.shortlist.services import run_shortlist
from cohorts.shortlist.storage import store_all_rows
from tests.cohorts.conftest import review, submitted

pytestmark = pytest.mark.django_db


def columns(n):
    return {
        "application_id": [10 + i for i in range(n)],
        "submission": list(reversed(range(n))),
        "section": ["shortlist", "ranked", "not_enough"][:n],
        "rank": [1, 2, None][:n],
        "score": [4.25, 0.1 + 0.2, None][:n],
        "score_mean": [4.25, -1e-300, None][:n],
        "score_zscore": [1.5, -0.0, None][:n],
        "score_percentile": [99.5, 50.0, None][:n],
        "rank_mean": [1, 2, None][:n],
        "rank_zscore": [2, 1, None][:n],
        "rank_percentile": [1, 2, None][:n],
        "review_count": [3, 2, 1][:n],
        "pinned": [True, False, False][:n],
        "stable": [True, False, False][:n],
    }


def test_pack_and_unpack_keep_every_value_to_the_last_bit():
    ranking = snapshot.unpack(snapshot.pack(columns(3)))
    assert len(ranking) == 3
    assert ranking.row(1, ["application_id", "section", "rank", "score", "score_mean"]) == (
        11,
        "ranked",
        2,
        0.1 + 0.2,
        -1e-300,
    )
    assert math.copysign(1, ranking.value("score_zscore", 1)) == -1  # -0.0 stays -0.0
    assert ranking.row(2, ["rank", "score", "rank_zscore", "pinned"]) == (None, None, None, False)
    assert ranking.section_counts() == {
        "shortlist": 1,
        "waitlist": 0,
        "ranked": 1,
        "not_enough": 1,
        "excluded": 0,
    }
    assert snapshot.unpack(snapshot.pack(columns(0))).section_counts()["ranked"] == 0


def test_refuses_what_is_not_a_packed_ranking():
    with pytest.raises(ValueError, match="not a packed"):
        snapshot.unpack(b"nonsense-bytes")
    broken = columns(3)
    broken["rank"] = [1]
    with pytest.raises(ValueError, match="column rank"):
        snapshot.pack(broken)


@pytest.fixture
def big_field(call, reviewers):
    """Cohort of 2, 2 on the waitlist, 60 ranked below, 3 with too few reviews (min_reviews=2)."""
    apps = []
    for i in range(64):
        app = submitted(call, f"Startup {i:02d}", minutes=i)
        for reviewer in reviewers:
            review(app, reviewer, 1 + (i * 7 + reviewer.pk) % 5)
        apps.append(app)
    for i, reviews in enumerate([1, 0, 1]):
        app = submitted(call, f"Late {i}", minutes=100 - i)
        for reviewer in reviewers[:reviews]:
            review(app, reviewer, 5)
        apps.append(app)
    return apps


def test_long_sections_are_read_a_page_at_a_time(call, big_field, django_assert_num_queries):
    run = run_shortlist(call, trigger=RunTrigger.COMMAND)
    with django_assert_num_queries(1):
        ranked = selectors.entries(run, "ranked")
    assert len(ranked) == 60
    with django_assert_num_queries(1):
        page = ranked[50:60]
    assert [e.rank for e in page] == list(range(55, 65))
    assert all(e.application.call_id == call.pk for e in page)
    with django_assert_num_queries(1):
        walked = list(ranked)  # in chunks, one query each
    assert [e.rank for e in walked] == list(range(5, 65))
    # Not enough reviews: most reviews first, then the earliest submission.
    assert [e.application.startup_name for e in selectors.entries(run, "not_enough")] == [
        "Late 2",
        "Late 0",
        "Late 1",
    ]


def test_the_snapshot_page_shows_the_second_page_of_the_ranking(client, organiser, call, big_field):
    run = run_shortlist(call, trigger=RunTrigger.ADMIN)
    client.force_login(organiser)
    url = reverse("admin:cohorts_shortlistrun_change", args=[run.pk])
    assert PAGE_SIZE == 50
    html = client.get(url, {"page": 2}).content.decode()
    last = selectors.entries(run, "ranked")[-1].application.startup_name
    assert "Ranked below (60)" in html and "page 2 of 2" in html
    assert last in html
    first_page = client.get(url).content.decode()
    assert last not in first_page


def test_runs_from_before_packed_rankings_are_packed_from_their_rows(call, big_field):
    run = run_shortlist(call, trigger=RunTrigger.COMMAND)
    stored = bytes(ShortlistRanking.objects.get(run=run).data)
    store_all_rows(run)  # every application as a row, as runs were stored before
    assert snapshot.pack_rows(run.entries.all()) == stored
