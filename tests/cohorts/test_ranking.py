"""The ranking methods on small cases computed by hand."""

import math

import pytest

from cohorts.shortlist import ranking
from cohorts.shortlist.ranking import MEAN, METHODS, PERCENTILE, ZSCORE


def field_of(computed: dict, *, submitted=None) -> ranking.Field:
    """The field of {application: (review count, {method: score})}; `submitted` gives submission
    positions (default: all submitted at the same moment)."""
    apps = list(computed)
    return ranking.Field(
        ids=apps,
        submission=[(submitted or {}).get(app, 0) for app in apps],
        counts=[computed[app][0] for app in apps],
        scores={m: [computed[app][1][m] for app in apps] for m in METHODS},
    )


def candidates(scores: dict, *, submitted=None) -> ranking.Field:
    """The field of {application: [(reviewer, score)]}, scored by method_scores."""
    rows = [(app, reviewer, score) for app, reviews in scores.items() for reviewer, score in reviews]
    computed = ranking.method_scores(rows)
    return field_of(
        {app: computed.get(app, (0, dict.fromkeys(METHODS))) for app in scores},
        submitted=submitted,
    )


def sections(field: ranking.Field, method: str, **options) -> dict[str, list[int]]:
    """The applications of each section, in their order."""
    placed = ranking.place_field(field, method, **options)
    result = {name: [] for name in (*ranking.RANKED_SECTIONS, ranking.NOT_ENOUGH, ranking.EXCLUDED)}
    for i in placed.order:
        result[placed.section[i]].append(field.ids[i])
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
    placed = sections(field, MEAN, cohort_size=2, min_reviews=2)
    assert placed["shortlist"] == [2, 3]
    assert placed["waitlist"] == [4, 1]


def test_sections_and_too_few_reviews():
    field = candidates({app: [(1, float(app)), (2, float(app))] for app in range(1, 8)} | {99: [(1, 5.0)]})
    placed = sections(field, MEAN, cohort_size=2, min_reviews=2)
    assert placed["shortlist"] == [7, 6]
    assert placed["waitlist"] == [5, 4]
    assert placed["ranked"] == [3, 2, 1]
    assert placed["not_enough"] == [99]


def test_pins_take_places_and_exclusions_leave():
    field = candidates({app: [(1, float(app)), (2, float(app))] for app in range(1, 6)} | {9: [(1, 2.5)]})
    placed = sections(field, MEAN, cohort_size=2, min_reviews=2, pinned={1, 9}, excluded={5})
    # Both pinned are in (9 even with one review), ordered by score; the best (5) is excluded.
    assert placed["shortlist"] == [9, 1]
    assert placed["waitlist"] == [4, 3]
    assert placed["ranked"] == [2]
    assert placed["excluded"] == [5]
    assert placed["not_enough"] == []


def test_stable_and_sensitive_across_methods():
    # A: reviewer 1 gives 2, reviewer 3 gives 3. B: reviewer 2 gives 4, reviewer 3 gives 3.
    # C: reviewer 1 gives 1, reviewer 2 gives 5. Reviewer 1 is harsh, reviewer 2 generous,
    # reviewer 3 has no spread (call-wide: mean 3, so z = 0).
    # mean: B 3.5, C 3.0, A 2.5.  zscore: A 0.5, C 0.0, B -0.5.  percentile: A 0.75, C 0.5, B 0.25.
    field = candidates({1: [(1, 2.0), (3, 3.0)], 2: [(2, 4.0), (3, 3.0)], 3: [(1, 1.0), (2, 5.0)]})
    placed = ranking.place_field(field, MEAN, cohort_size=2, min_reviews=2)
    at = {app: i for i, app in enumerate(field.ids)}
    assert {m: field.scores[m][at[1]] for m in METHODS} == {MEAN: 2.5, ZSCORE: 0.5, PERCENTILE: 0.75}
    assert {m: field.scores[m][at[2]] for m in METHODS} == {MEAN: 3.5, ZSCORE: -0.5, PERCENTILE: 0.25}
    assert [placed.section[at[app]] for app in (2, 3, 1)] == ["shortlist", "shortlist", "waitlist"]
    assert {m: placed.ranks[m][at[2]] for m in METHODS} == {MEAN: 1, ZSCORE: 3, PERCENTILE: 3}
    assert {m: placed.ranks[m][at[3]] for m in METHODS} == {MEAN: 2, ZSCORE: 2, PERCENTILE: 2}
    assert placed.stable[at[3]] is True  # shortlisted whichever method decides
    assert placed.stable[at[2]] is False  # only the mean puts it in
    assert placed.stable[at[1]] is False  # not shortlisted at all


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
        field = field_of(dict(sorted(computed.items())))
        result = ranking.place_field(field, ZSCORE, cohort_size=5, min_reviews=2)
        return [
            (field.ids[i], result.section[i], result.ranks[ZSCORE][i], {m: result.ranks[m][i] for m in METHODS})
            for i in result.order
        ]

    assert placed(forward) == placed(backward)
