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
from collections import Counter, defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, repeat

MEAN, ZSCORE, PERCENTILE = "mean", "zscore", "percentile"
METHODS = (MEAN, ZSCORE, PERCENTILE)
# Scores equal to this many decimals are ties: float noise must not decide a place.
PRECISION = 9

SHORTLIST, WAITLIST, RANKED, NOT_ENOUGH, EXCLUDED = "shortlist", "waitlist", "ranked", "not_enough", "excluded"
RANKED_SECTIONS = (SHORTLIST, WAITLIST, RANKED)


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
    # Each reviewer's z-score and percentile of each distinct score, as postgres_field gets them.
    histogram = sorted(Counter((reviewer, score) for _app, reviewer, score in rows).items())
    zs, ps = reviewer_tables(
        [reviewer for (reviewer, _score), _n in histogram],
        [score for (_reviewer, score), _n in histogram],
        [n for _key, n in histogram],
    )
    tables = {key: (z, p) for (key, _n), z, p in zip(histogram, zs, ps, strict=True)}

    # Plain sums in the rows' fixed order (review id): deterministic, and float noise below
    # PRECISION never decides a rank.
    totals: dict[int, list] = {}
    for app, reviewer, x in rows:
        z, percentile = tables[reviewer, x]
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


def reviewer_tables(reviewers: list[int], scores: list[float], counts: list[int]) -> tuple[list[float], list[float]]:
    """(z-scores, percentiles) of each distinct (reviewer, score), from how often each occurs.

    The rows come sorted by reviewer, then score, with equal scores of one reviewer on one row
    (how PostgreSQL groups them, and method_scores too). fsum gives the correctly rounded sum of a
    multiset whatever the order, so the numbers are those of the list of every review to the last bit.
    """
    call_counts: dict[float, int] = defaultdict(int)
    for x, c in zip(scores, counts, strict=True):
        call_counts[x] += c
    if not call_counts:
        return [], []
    distinct = sorted(call_counts)
    call_mean, call_std = _counted_mean_pstdev(distinct, [call_counts[x] for x in distinct])
    zs, ps = [], []
    start = 0
    while start < len(reviewers):
        end = start
        while end < len(reviewers) and reviewers[end] == reviewers[start]:
            end += 1
        values, times = scores[start:end], counts[start:end]
        n = sum(times)
        mean_r, std_r = _counted_mean_pstdev(values, times)
        lower = 0
        for x, equal in zip(values, times, strict=True):
            if n >= 2 and std_r > 0:
                zs.append((x - mean_r) / std_r)
            elif call_std > 0:
                zs.append((x - call_mean) / call_std)
            else:
                zs.append(0.0)
            ps.append(0.5 if n == 1 else (lower + 0.5 * (equal - 1)) / (n - 1))
            lower += equal
        start = end
    return zs, ps


def _counted_mean_pstdev(values: list[float], counts: list[int]) -> tuple[float, float]:
    """Mean and population standard deviation of the list holding each of the (ascending, distinct)
    values counts[i] times; exactly no spread when there is a single value, whatever the rounding."""
    n = sum(counts)
    mean = math.fsum(chain.from_iterable(map(repeat, values, counts))) / n
    if len(values) == 1:
        return values[0], 0.0
    squares = chain.from_iterable(repeat((x - mean) ** 2, c) for x, c in zip(values, counts, strict=True))
    return mean, math.sqrt(math.fsum(squares) / n)


@dataclass(slots=True)
class Field:
    """Every candidate as columns: position i of each list is one application."""

    ids: list[int]
    # Position in submission order (earliest first): the second tie-break, then the id.
    submission: list[int]
    counts: list[int]
    scores: dict[str, list[float | None]]


@dataclass(slots=True)
class Placed:
    """The outcome of a run, as columns over the field's positions."""

    # Positions in the deciding method's order: shortlist, waitlist, ranked, not enough, excluded.
    order: list[int]
    section: list[str]
    # {method: rank of each position over shortlist, waitlist and ranked, None elsewhere}
    ranks: dict[str, list[int | None]]
    stable: list[bool]
    pinned: list[bool]
    counts: dict[str, int]


# What a candidate is before ranking; _POOL is 0 so that any(kinds) tells whether there is another.
_POOL, _PIN, _FEW, _OUT = range(4)


def _tiebreak(field: Field) -> list[int]:
    """Positions by more reviews, then earlier submission, then lower id.

    Stable sorts from the last key to the first, each keyed on a plain list: no tuple per candidate.
    """
    n = len(field.ids)
    submission = field.submission
    if len(set(submission)) == n and (n == 0 or (min(submission) == 0 and max(submission) == n - 1)):
        # Distinct submission positions 0..n-1 (a run's field): no sort needed.
        order = [0] * n
        for i, s in enumerate(submission):
            order[s] = i
    else:
        order = sorted(range(n), key=field.ids.__getitem__)
        order.sort(key=submission.__getitem__)
    if n and min(field.counts) != max(field.counts):
        fewer = [-c for c in field.counts]
        order.sort(key=fewer.__getitem__)
    return order


def _best_first(field: Field, method: str, tiebreak: list[int]) -> list[int]:
    """Positions best first: score to PRECISION decimals (none last), then the tie-breaks.

    A descending sort is stable too: equal keys keep the tie-break order.
    """
    scores = field.scores[method]
    if None in scores:
        keys = [-math.inf if s is None else round(s, PRECISION) for s in scores]
    else:
        keys = list(map(round, scores, repeat(PRECISION)))
    return sorted(tiebreak, key=keys.__getitem__, reverse=True)


def _arrange(field: Field, best: list[int], kinds: list[int], cohort_size: int) -> dict[str, list[int]]:
    pool = [i for i in best if kinds[i] == _POOL] if any(kinds) else best
    pins = [i for i in best if kinds[i] == _PIN] if _PIN in kinds else []
    free = max(cohort_size - len(pins), 0)
    if pins:
        chosen = set(pins).union(pool[:free])
        shortlist = [i for i in best if i in chosen]
    else:
        shortlist = pool[:free]
    return {
        SHORTLIST: shortlist,
        WAITLIST: pool[free : free + cohort_size],
        RANKED: pool[free + cohort_size :],
        NOT_ENOUGH: [i for i in best if kinds[i] == _FEW] if _FEW in kinds else [],
        EXCLUDED: [i for i in best if kinds[i] == _OUT] if _OUT in kinds else [],
    }


def _kinds(field: Field, min_reviews: int, pinned: set[int], excluded: set[int]) -> list[int]:
    kinds = [_POOL if n >= min_reviews else _FEW for n in field.counts]
    if pinned or excluded:
        for i, app in enumerate(field.ids):
            if app in excluded:
                kinds[i] = _OUT
            elif app in pinned:
                kinds[i] = _PIN
    return kinds


def place_field(
    field: Field,
    method: str,
    *,
    cohort_size: int,
    min_reviews: int,
    pinned: set[int] = frozenset(),
    excluded: set[int] = frozenset(),
) -> Placed:
    """Every position's section and rank under the deciding method, its rank under each method,
    and whether a shortlisted one would be shortlisted whichever method decided (stable)."""
    n = len(field.ids)
    tiebreak = _tiebreak(field)
    kinds = _kinds(field, min_reviews, pinned, excluded)
    by_method = {m: _arrange(field, _best_first(field, m, tiebreak), kinds, cohort_size) for m in METHODS}
    ranks = {}
    for m, sections in by_method.items():
        rank = [None] * n
        for position, i in enumerate(chain.from_iterable(sections[s] for s in RANKED_SECTIONS), start=1):
            rank[i] = position
        ranks[m] = rank
    deciding = by_method[method]
    order = list(chain.from_iterable(deciding.values()))
    section = [NOT_ENOUGH] * n
    for name, members in deciding.items():
        for i in members:
            section[i] = name
    stable = [False] * n
    others = [set(by_method[m][SHORTLIST]) for m in METHODS if m != method]
    for i in deciding[SHORTLIST]:
        stable[i] = all(i in shortlist for shortlist in others)
    pinned_at = [kind == _PIN for kind in kinds] if pinned else [False] * n
    return Placed(order, section, ranks, stable, pinned_at, {s: len(m) for s, m in deciding.items()})
