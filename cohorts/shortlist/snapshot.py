"""A run's full ranking, stored as one packed value (ShortlistRanking.data) rather than one row per
application.

At 100,000 applications, storing and checking one row per application (three indexes, two foreign
keys) cost more than computing the shortlist. The packed ranking is written in one statement and
read back in milliseconds; rows (ShortlistEntry) are still stored for the sections people act on
(shortlist, waitlist, exclusions: offers and e-mails join them to applications), and for every
section once a run is locked (exports join the locked run's entries).

Format: a header (a magic that names the format's version, the number of applications), then one
little-endian array per column: ENTRY_COLUMNS (a ShortlistEntry's values) and each application's
position in submission order (the tie-break of the unranked sections). None is 0 in rank columns
(ranks start at 1) and NaN in score columns.
"""

import math
import struct
import sys
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from cohorts.models import Section, ShortlistEntry

MAGIC = b"SLR1"
HEADER = struct.Struct("<4sI")
SECTIONS = list(Section.values)
# (column, array type) in stored order.
COLUMNS = (
    ("application_id", "q"),
    ("submission", "i"),
    ("section", "B"),
    ("rank", "I"),
    ("score", "d"),
    ("score_mean", "d"),
    ("score_zscore", "d"),
    ("score_percentile", "d"),
    ("rank_mean", "I"),
    ("rank_zscore", "I"),
    ("rank_percentile", "I"),
    ("review_count", "I"),
    ("pinned", "B"),
    ("stable", "B"),
)
# The columns a ShortlistEntry row holds, in the order rows are stored (cohorts.shortlist.services).
ENTRY_COLUMNS = tuple(name for name, _kind in COLUMNS if name != "submission")
RANKS = {"rank", "rank_mean", "rank_zscore", "rank_percentile"}
SCORES = {"score", "score_mean", "score_zscore", "score_percentile"}
# Sections shown in pages of PAGE_SIZE rather than in full; they are never stored as rows before a lock.
PAGED = (Section.RANKED, Section.NOT_ENOUGH_REVIEWS)
# Applications read per query when a whole section is walked through (the command line's JSON).
ITER_CHUNK = 2000


def _encode(name: str, values) -> array:
    kind = dict(COLUMNS)[name]
    if name == "section":
        values = map(SECTIONS.index, values)
    elif name in RANKS:
        values = (0 if v is None else v for v in values)
    elif name in SCORES:
        values = (math.nan if v is None else v for v in values)
    return array(kind, values)


def pack(columns: dict[str, Sequence]) -> bytes:
    """columns: {name: values by application, in application id order} for every stored column."""
    n = len(columns["application_id"])
    parts = [HEADER.pack(MAGIC, n)]
    for name, _kind in COLUMNS:
        values = _encode(name, columns[name])
        if len(values) != n:
            raise ValueError(f"column {name} has {len(values)} values for {n} applications")
        if sys.byteorder == "big":
            values.byteswap()
        parts.append(values.tobytes())
    return b"".join(parts)


def pack_rows(entries) -> bytes:
    """The packed ranking of a run stored as rows only (runs from before packed rankings, and
    tests): `entries` is the run's ShortlistEntry queryset, holding every application."""
    in_submission_order = entries.order_by("application__submitted_at", "application_id")
    position = {pk: i for i, pk in enumerate(in_submission_order.values_list("application_id", flat=True))}
    rows = list(entries.order_by("application_id").values_list(*ENTRY_COLUMNS))
    columns = {name: [row[i] for row in rows] for i, name in enumerate(ENTRY_COLUMNS)}
    columns["submission"] = [position[pk] for pk in columns["application_id"]]
    return pack(columns)


@dataclass
class Ranking:
    """The columns of a run's ranking, by application id."""

    columns: dict[str, array]

    def __len__(self) -> int:
        return len(self.columns["application_id"])

    def value(self, name: str, i: int):
        value = self.columns[name][i]
        if name == "section":
            return SECTIONS[value]
        if name in RANKS:
            return value or None
        if name in SCORES:
            return None if math.isnan(value) else value
        if name in ("pinned", "stable"):
            return bool(value)
        return value

    def row(self, i: int, names: Sequence[str]) -> tuple:
        return tuple(self.value(name, i) for name in names)

    def decoded(self, name: str) -> list:
        """A whole column as Python values (None where there is none)."""
        return [self.value(name, i) for i in range(len(self))]

    def rows(self, names: Sequence[str], *, skip_ids=frozenset()):
        """One tuple of `names` per application, by application id, leaving out skip_ids."""
        ids = self.columns["application_id"]
        keep = [i for i in range(len(self)) if ids[i] not in skip_ids]
        columns = [self.decoded(name) for name in names]
        return [tuple(column[i] for column in columns) for i in keep]

    def section_counts(self) -> dict[str, int]:
        found = Counter(self.columns["section"])
        return {name: found[code] for code, name in enumerate(SECTIONS)}

    def in_section(self, section: str) -> list[int]:
        """Positions of the section's applications in the order the shortlist shows them: by rank,
        then (unranked sections) most reviews first, then earliest submission."""
        code = SECTIONS.index(section)
        positions = [i for i, s in enumerate(self.columns["section"]) if s == code]
        rank, count, submission = (self.columns[c] for c in ("rank", "review_count", "submission"))
        if all(rank[i] for i in positions):
            positions.sort(key=rank.__getitem__)  # ranks are unique: 100,000 in milliseconds
        else:
            positions.sort(key=lambda i: (rank[i] or math.inf, -count[i], submission[i]))
        return positions

    def entry(self, i: int, run) -> ShortlistEntry:
        """An unsaved ShortlistEntry with the run's values for position i (its application not loaded)."""
        return ShortlistEntry(run=run, **dict(zip(ENTRY_COLUMNS, self.row(i, ENTRY_COLUMNS), strict=True)))


def unpack(data: bytes) -> Ranking:
    data = bytes(data)  # memoryview from some database drivers
    magic, n = HEADER.unpack_from(data)
    if magic != MAGIC:
        raise ValueError("not a packed shortlist ranking")
    offset = HEADER.size
    columns = {}
    for name, kind in COLUMNS:
        values = array(kind)
        size = values.itemsize * n
        values.frombytes(data[offset : offset + size])
        if sys.byteorder == "big":
            values.byteswap()
        columns[name] = values
        offset += size
    return Ranking(columns)


class SectionEntries(Sequence):
    """A paged section of a run as unsaved ShortlistEntry objects, their applications loaded one
    slice at a time: a Paginator over 100,000 entries reads only the page it shows."""

    def __init__(self, run, ranking: Ranking, section: str, applications):
        self.run, self.ranking, self.applications = run, ranking, applications
        self.positions = ranking.in_section(section)

    def __len__(self) -> int:
        return len(self.positions)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._load(self.positions[index])
        entries = self._load([self.positions[index]])
        if not entries:
            raise IndexError(index)
        return entries[0]

    def __iter__(self):
        for start in range(0, len(self.positions), ITER_CHUNK):
            yield from self._load(self.positions[start : start + ITER_CHUNK])

    def _load(self, positions: list[int]) -> list[ShortlistEntry]:
        entries = [self.ranking.entry(i, self.run) for i in positions]
        found = self.applications.in_bulk([e.application_id for e in entries])
        # Submitted applications are anonymised, never deleted; a missing one is left out, not an error page.
        entries = [e for e in entries if e.application_id in found]
        for entry in entries:
            entry.application = found[entry.application_id]
        return entries
