"""The three ranking methods and the ordering rules of the shortlist.

Pure functions of the review scores, no database: the same input always gives the same
output, and each rule can be checked on a hand-computed case.

- mean: the mean of an application's weighted review scores;
- zscore: each score becomes (x - m_r) / s_r with the mean and population standard deviation
  of that reviewer's scores in the call; for a reviewer with fewer than 2 reviews or no spread,
  the call-wide mean and deviation are used instead, and 0 when there is no spread at all;
- percentile: each score becomes its percentile among the same reviewer's scores,
  (number lower + 0.5 x (number equal - 1)) / (n - 1), and 0.5 when n = 1.

Ties break by more reviews, then earlier submission, then lower id.
"""

import gc
import math
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

MEAN, ZSCORE, PERCENTILE = "mean", "zscore", "percentile"
METHODS = (MEAN, ZSCORE, PERCENTILE)
# Scores equal to this many decimals are ties: float noise must not decide a place.
PRECISION = 9

SHORTLIST, WAITLIST, RANKED, NOT_ENOUGH, EXCLUDED = "shortlist", "waitlist", "ranked", "not_enough", "excluded"
RANKED_SECTIONS = (SHORTLIST, WAITLIST, RANKED)


@dataclass(slots=True)
class Candidate:
    application_id: int
    # Position in submission order (earliest first): the second tie-break.
    submission_order: int
    review_count: int = 0
    scores: dict[str, float | None] = field(default_factory=lambda: dict.fromkeys(METHODS))


@dataclass(slots=True)
class Placement:
    candidate: Candidate
    section: str
    rank: int | None
    method_ranks: dict[str, int | None]
    stable: bool
    pinned: bool


def _mean_pstdev(values: list[float]) -> tuple[float, float]:
    n = len(values)
    mean = math.fsum(values) / n
    if min(values) == max(values):
        return values[0], 0.0  # exactly no spread, whatever the rounding of the mean
    return mean, math.sqrt(math.fsum((x - mean) ** 2 for x in values) / n)


def _reviewer_tables(scores: list[float], call_mean: float, call_std: float) -> dict[float, tuple[float, float]]:
    """{score: (z-score, percentile)} for each distinct score one reviewer gave."""
    n = len(scores)
    mean_r, std_r = _mean_pstdev(scores)
    ordered = sorted(scores)
    table = {}
    lower = 0
    while lower < n:
        x = ordered[lower]
        equal = 1
        while lower + equal < n and ordered[lower + equal] == x:
            equal += 1
        if n >= 2 and std_r > 0:
            z = (x - mean_r) / std_r
        elif call_std > 0:
            z = (x - call_mean) / call_std
        else:
            z = 0.0
        table[x] = (z, 0.5 if n == 1 else (lower + 0.5 * (equal - 1)) / (n - 1))
        lower += equal
    return table


@contextmanager
def paused_gc():
    """Building 100,000s of small objects triggers the cycle collector over and over; none of
    them form cycles, so it can wait until the computation is over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def method_scores(reviews: Iterable[tuple[int, int, float]]) -> dict[int, tuple[int, dict[str, float]]]:
    """{application id: (number of reviews, {method: score})} from (application, reviewer, score) rows."""
    rows = list(reviews)
    if not rows:
        return {}
    by_reviewer: dict[int, list[float]] = defaultdict(list)
    for _app, reviewer, score in rows:
        by_reviewer[reviewer].append(score)
    call_mean, call_std = _mean_pstdev([score for _app, _reviewer, score in rows])
    tables = {reviewer: _reviewer_tables(scores, call_mean, call_std) for reviewer, scores in by_reviewer.items()}

    # Plain sums in the rows' fixed order (review id): deterministic, and float noise below
    # PRECISION never decides a rank.
    totals: dict[int, list] = {}
    for app, reviewer, x in rows:
        z, percentile = tables[reviewer][x]
        total = totals.get(app)
        if total is None:
            totals[app] = [1, x, z, percentile]
        else:
            total[0] += 1
            total[1] += x
            total[2] += z
            total[3] += percentile
    return {
        app: (n, {MEAN: sum_x / n, ZSCORE: sum_z / n, PERCENTILE: sum_p / n})
        for app, (n, sum_x, sum_z, sum_p) in totals.items()
    }


def _in_order(candidates, method: str) -> list[Candidate]:
    # Decorate-sort-undecorate: one key tuple per candidate, compared without a key function.
    # Flat tuples of sort_key's fields then the candidate; ids are unique, so the comparison
    # never reaches the candidate itself.
    decorated = []
    for c in candidates:
        score = c.scores[method]
        rounded = 0.0 if score is None else -round(score, PRECISION)
        decorated.append((score is None, rounded, -c.review_count, c.submission_order, c.application_id, c))
    decorated.sort()
    return [item[-1] for item in decorated]


def arrange(
    candidates: list[Candidate],
    method: str,
    *,
    cohort_size: int,
    min_reviews: int,
    pinned: set[int] = frozenset(),
    excluded: set[int] = frozenset(),
) -> dict[str, list[Candidate]]:
    """Split candidates into the sections of the shortlist, each in its order, under one method.

    Pinned applications are in the shortlist whatever their score (even with too few reviews)
    and take places from the computed ones; excluded applications are out of every section
    but their own.
    """
    pins, pool, not_enough, out = [], [], [], []
    for c in candidates:
        app = c.application_id
        if app in excluded:
            out.append(c)
        elif app in pinned:
            pins.append(c)
        elif c.review_count >= min_reviews:
            pool.append(c)
        else:
            not_enough.append(c)
    pool = _in_order(pool, method)
    free = max(cohort_size - len(pins), 0)
    return {
        SHORTLIST: _in_order(pins + pool[:free], method),
        WAITLIST: pool[free : free + cohort_size],
        RANKED: pool[free + cohort_size :],
        NOT_ENOUGH: _in_order(not_enough, method),
        EXCLUDED: _in_order(out, method),
    }


def ranks(sections: dict[str, list[Candidate]]) -> dict[int, int]:
    """{application id: rank} over shortlist, waitlist and ranked, 1 first."""
    ordered = [c for name in RANKED_SECTIONS for c in sections[name]]
    return {c.application_id: position for position, c in enumerate(ordered, start=1)}


def place(
    candidates: list[Candidate],
    method: str,
    *,
    cohort_size: int,
    min_reviews: int,
    pinned: set[int] = frozenset(),
    excluded: set[int] = frozenset(),
) -> list[Placement]:
    """Every candidate's section and rank under the deciding method, its rank under each method,
    and whether a shortlisted one would be shortlisted whichever method decided (stable)."""
    options = {"cohort_size": cohort_size, "min_reviews": min_reviews, "pinned": pinned, "excluded": excluded}
    by_method = {m: arrange(candidates, m, **options) for m in METHODS}
    method_ranks = {m: ranks(sections) for m, sections in by_method.items()}
    shortlisted_under = {m: {c.application_id for c in sections[SHORTLIST]} for m, sections in by_method.items()}
    placements = []
    for section, members in by_method[method].items():
        for candidate in members:
            app = candidate.application_id
            placements.append(
                Placement(
                    candidate=candidate,
                    section=section,
                    rank=method_ranks[method].get(app),
                    method_ranks={m: method_ranks[m].get(app) for m in METHODS},
                    stable=section == SHORTLIST and all(app in shortlisted_under[m] for m in METHODS),
                    pinned=app in pinned and app not in excluded,
                )
            )
    return placements
