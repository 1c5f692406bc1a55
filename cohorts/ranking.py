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

import datetime as dt
import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

MEAN, ZSCORE, PERCENTILE = "mean", "zscore", "percentile"
METHODS = (MEAN, ZSCORE, PERCENTILE)
# Scores equal to this many decimals are ties: float noise must not decide a place.
PRECISION = 9

SHORTLIST, WAITLIST, RANKED, NOT_ENOUGH, EXCLUDED = "shortlist", "waitlist", "ranked", "not_enough", "excluded"
RANKED_SECTIONS = (SHORTLIST, WAITLIST, RANKED)


@dataclass
class Candidate:
    application_id: int
    startup: str
    submitted_at: dt.datetime
    review_count: int = 0
    scores: dict[str, float | None] = field(default_factory=lambda: dict.fromkeys(METHODS))


@dataclass
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


def method_scores(reviews: Iterable[tuple[int, int, float]]) -> dict[int, tuple[int, dict[str, float]]]:
    """{application id: (number of reviews, {method: score})} from (application, reviewer, score) rows."""
    rows = list(reviews)
    if not rows:
        return {}
    by_reviewer: dict[int, list[float]] = defaultdict(list)
    for _app, reviewer, score in rows:
        by_reviewer[reviewer].append(score)
    call_mean, call_std = _mean_pstdev([score for _app, _reviewer, score in rows])
    stats = {reviewer: _mean_pstdev(scores) for reviewer, scores in by_reviewer.items()}
    ordered = {reviewer: sorted(scores) for reviewer, scores in by_reviewer.items()}

    per_app: dict[int, dict[str, list[float]]] = defaultdict(lambda: {m: [] for m in METHODS})
    for app, reviewer, x in rows:
        n = len(ordered[reviewer])
        mean_r, std_r = stats[reviewer]
        if n >= 2 and std_r > 0:
            z = (x - mean_r) / std_r
        elif call_std > 0:
            z = (x - call_mean) / call_std
        else:
            z = 0.0
        lower = bisect_left(ordered[reviewer], x)
        equal = bisect_right(ordered[reviewer], x) - lower
        percentile = 0.5 if n == 1 else (lower + 0.5 * (equal - 1)) / (n - 1)
        values = per_app[app]
        values[MEAN].append(x)
        values[ZSCORE].append(z)
        values[PERCENTILE].append(percentile)
    return {
        app: (len(values[MEAN]), {m: math.fsum(values[m]) / len(values[m]) for m in METHODS})
        for app, values in per_app.items()
    }


def sort_key(candidate: Candidate, method: str):
    score = candidate.scores[method]
    return (
        score is None,
        -round(score, PRECISION) if score is not None else 0.0,
        -candidate.review_count,
        candidate.submitted_at,
        candidate.application_id,
    )


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
    pins = [c for c in candidates if c.application_id in pinned and c.application_id not in excluded]
    pool = sorted(
        (
            c
            for c in candidates
            if c.application_id not in pinned and c.application_id not in excluded and c.review_count >= min_reviews
        ),
        key=lambda c: sort_key(c, method),
    )
    free = max(cohort_size - len(pins), 0)
    return {
        SHORTLIST: sorted(pins + pool[:free], key=lambda c: sort_key(c, method)),
        WAITLIST: pool[free : free + cohort_size],
        RANKED: pool[free + cohort_size :],
        NOT_ENOUGH: sorted(
            (
                c
                for c in candidates
                if c.review_count < min_reviews and c.application_id not in pinned and c.application_id not in excluded
            ),
            key=lambda c: sort_key(c, method),
        ),
        EXCLUDED: sorted((c for c in candidates if c.application_id in excluded), key=lambda c: sort_key(c, method)),
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
