"""The ranking methods on small cases computed by hand."""

import math

import pytest

from cohorts.shortlist import ranking
from cohorts.shortlist.ranking import MEAN, PERCENTILE, ZSCORE, Candidate


def candidates(scores: dict, *, submitted=None) -> list[Candidate]:
    """Candidates from {application: [(reviewer, score)]}; `submitted` gives submission positions
    (default: all submitted at the same moment)."""
    result = []
    rows = [(app, reviewer, score) for app, reviews in scores.items() for reviewer, score in reviews]
    computed = ranking.method_scores(rows)
    for app in scores:
        count, values = computed.get(app, (0, dict.fromkeys(ranking.METHODS)))
        result.append(
            Candidate(
                application_id=app,
                submission_order=(submitted or {}).get(app, 0),
                review_count=count,
                scores=values,
            )
        )
    return result


def test_three_methods_on_a_hand_computed_case():
    # Reviewer 1 scores A=4, B=2 (mean 3, sd 1); reviewer 2 scores A=3, C=5 (mean 4, sd 1);
    # reviewer 3 has a single review (B=5): the call-wide mean 3.8 and sd sqrt(1.36) stand in.
    scores = ranking.method_scores([(1, 1, 4.0), (2, 1, 2.0), (1, 2, 3.0), (3, 2, 5.0), (2, 3, 5.0)])
    call_sd = math.sqrt(1.36)
    assert scores[1] == (2, {MEAN: 3.5, ZSCORE: 0.0, PERCENTILE: 0.5})
    count, b = scores[2]
    assert count == 2
    assert b[MEAN] == 3.5
    assert b[ZSCORE] == pytest.approx((-1 + (5 - 3.8) / call_sd) / 2)
    assert b[PERCENTILE] == 0.25  # 0 from reviewer 1, 0.5 for reviewer 3's only review
    assert scores[3] == (1, {MEAN: 5.0, ZSCORE: 1.0, PERCENTILE: 1.0})


def test_percentile_counts_equal_scores_half():
    # One reviewer: 3, 3, 5. Each 3 has 0 lower and 2 equal: (0 + 0.5 x 1) / 2 = 0.25; 5 has 2 lower: 1.
    scores = ranking.method_scores([(1, 9, 3.0), (2, 9, 3.0), (3, 9, 5.0)])
    assert [scores[app][1][PERCENTILE] for app in (1, 2, 3)] == [0.25, 0.25, 1.0]


def test_reviewer_without_spread_falls_back_to_call_wide_deviation():
    # Reviewer 1 gives 4 and 4 (no spread); reviewer 2 gives 2 and 4. Call: 4,4,2,4 -> mean 3.5, sd sqrt(0.75).
    scores = ranking.method_scores([(1, 1, 4.0), (2, 1, 4.0), (1, 2, 2.0), (2, 2, 4.0)])
    call_sd = math.sqrt(0.75)
    assert scores[1][1][ZSCORE] == pytest.approx(((4 - 3.5) / call_sd + -1) / 2)
    assert scores[2][1][ZSCORE] == pytest.approx(((4 - 3.5) / call_sd + 1) / 2)


def test_no_spread_anywhere_gives_zero_z_scores():
    scores = ranking.method_scores([(1, 1, 3.4), (2, 1, 3.4), (1, 2, 3.4), (3, 3, 3.4)])
    assert {app: value[1][ZSCORE] for app, value in scores.items()} == {1: 0.0, 2: 0.0, 3: 0.0}
    assert scores[3][1][PERCENTILE] == 0.5  # a single review is the reviewer's median


def test_ties_break_by_review_count_then_submission_then_id():
    field = candidates(
        {
            1: [(1, 4.0), (2, 2.0)],  # mean 3, 2 reviews, submitted later
            2: [(1, 3.0), (2, 3.0), (3, 3.0)],  # mean 3, 3 reviews: first
            3: [(3, 2.0), (4, 4.0)],  # mean 3, 2 reviews, submitted earlier than 1
            4: [(4, 3.0), (5, 3.0)],  # mean 3, 2 reviews, same time as 3, higher id
        },
        submitted={1: 1},
    )
    sections = ranking.arrange(field, MEAN, cohort_size=2, min_reviews=2)
    assert [c.application_id for c in sections["shortlist"]] == [2, 3]
    assert [c.application_id for c in sections["waitlist"]] == [4, 1]


def test_sections_and_too_few_reviews():
    field = candidates({app: [(1, float(app)), (2, float(app))] for app in range(1, 8)} | {99: [(1, 5.0)]})
    sections = ranking.arrange(field, MEAN, cohort_size=2, min_reviews=2)
    assert [c.application_id for c in sections["shortlist"]] == [7, 6]
    assert [c.application_id for c in sections["waitlist"]] == [5, 4]
    assert [c.application_id for c in sections["ranked"]] == [3, 2, 1]
    assert [c.application_id for c in sections["not_enough"]] == [99]


def test_pins_take_places_and_exclusions_leave():
    field = candidates({app: [(1, float(app)), (2, float(app))] for app in range(1, 6)} | {9: [(1, 2.5)]})
    sections = ranking.arrange(field, MEAN, cohort_size=2, min_reviews=2, pinned={1, 9}, excluded={5})
    # Both pinned are in (9 even with one review), ordered by score; the best (5) is excluded.
    assert [c.application_id for c in sections["shortlist"]] == [9, 1]
    assert [c.application_id for c in sections["waitlist"]] == [4, 3]
    assert [c.application_id for c in sections["ranked"]] == [2]
    assert [c.application_id for c in sections["excluded"]] == [5]
    assert sections["not_enough"] == []


def test_stable_and_sensitive_across_methods():
    # A: reviewer 1 gives 2, reviewer 3 gives 3. B: reviewer 2 gives 4, reviewer 3 gives 3.
    # C: reviewer 1 gives 1, reviewer 2 gives 5. Reviewer 1 is harsh, reviewer 2 generous,
    # reviewer 3 has no spread (call-wide: mean 3, so z = 0).
    # mean: B 3.5, C 3.0, A 2.5.  zscore: A 0.5, C 0.0, B -0.5.  percentile: A 0.75, C 0.5, B 0.25.
    field = candidates({1: [(1, 2.0), (3, 3.0)], 2: [(2, 4.0), (3, 3.0)], 3: [(1, 1.0), (2, 5.0)]})
    by_app = {p.candidate.application_id: p for p in ranking.place(field, MEAN, cohort_size=2, min_reviews=2)}
    assert by_app[1].candidate.scores == {MEAN: 2.5, ZSCORE: 0.5, PERCENTILE: 0.75}
    assert by_app[2].candidate.scores == {MEAN: 3.5, ZSCORE: -0.5, PERCENTILE: 0.25}
    assert [by_app[app].section for app in (2, 3, 1)] == ["shortlist", "shortlist", "waitlist"]
    assert by_app[2].method_ranks == {MEAN: 1, ZSCORE: 3, PERCENTILE: 3}
    assert by_app[3].method_ranks == {MEAN: 2, ZSCORE: 2, PERCENTILE: 2}
    assert by_app[3].stable is True  # shortlisted whichever method decides
    assert by_app[2].stable is False  # only the mean puts it in
    assert by_app[1].stable is False  # not shortlisted at all


def test_row_order_changes_no_rank():
    rows = [
        (app, reviewer, float((app * 7 + reviewer * 3) % 5 + 1) / 3) for app in range(1, 40) for reviewer in (1, 2, 3)
    ]
    forward = ranking.method_scores(rows)
    backward = ranking.method_scores(list(reversed(rows)))
    for app, (count, scores) in forward.items():
        assert backward[app][0] == count
        assert backward[app][1] == pytest.approx(scores, abs=1e-12)

    def placed(computed):
        field = [
            Candidate(application_id=app, submission_order=0, review_count=n, scores=s)
            for app, (n, s) in sorted(computed.items())
        ]
        return [
            (p.candidate.application_id, p.section, p.rank, p.method_ranks)
            for p in ranking.place(field, ZSCORE, cohort_size=5, min_reviews=2)
        ]

    assert placed(forward) == placed(backward)
