"""Who reviews which application: automatic assignment for a call, and assignment by hand.

Automatic assignment gives every submitted application K = call.reviewers_per_application active
reviewers from the reviewer pool, never a reviewer in conflict, at most a reviewer's cap in the call,
and keeps loads balanced (max - min <= 1 whenever the existing work and the conflicts allow it).
It only adds: a rerun fills the gaps left by conflicts, new applications or new reviewers, and never
moves or removes an existing assignment, so no started review is ever lost.
"""

import heapq
import random
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.models import Application, Status
from calls.models import Call
from reviews.models import Assignment, AssignmentState, Conflict
from reviews.selectors import reviewable_applications, reviewer_pool
from reviews.services.conflicts import detect_conflicts
from reviews.services.summaries import refresh_summaries


@dataclass
class ShortApplication:
    application_id: int
    startup_name: str
    assigned: int
    needed: int


@dataclass
class AssignmentReport:
    call: Call
    reviewers: int = 0
    applications: int = 0
    created: int = 0
    conflicts_found: int = 0
    released: int = 0
    short: list[ShortApplication] = field(default_factory=list)
    loads: dict[int, int] = field(default_factory=dict)  # pool reviewer id -> active assignments in the call

    @property
    def load_range(self) -> tuple[int, int]:
        values = list(self.loads.values()) or [0]
        return min(values), max(values)

    def lines(self, limit: int | None = None) -> list[str]:
        low, high = self.load_range
        lines = [
            _(
                "%(created)s new assignments for %(apps)s submitted applications and %(reviewers)s reviewers "
                "(%(k)s reviewers each)."
            )
            % {
                "created": self.created,
                "apps": self.applications,
                "reviewers": self.reviewers,
                "k": self.call.reviewers_per_application,
            },
            _("Reviewer loads in this call: from %(low)s to %(high)s applications.") % {"low": low, "high": high},
        ]
        if self.conflicts_found or self.released:
            lines.append(
                _("%(found)s conflicts of interest found from domains; %(released)s assignments released.")
                % {"found": self.conflicts_found, "released": self.released}
            )
        if self.short:
            lines.append(
                ngettext(
                    "%(count)s application is short of eligible reviewers:",
                    "%(count)s applications are short of eligible reviewers:",
                    len(self.short),
                )
                % {"count": len(self.short)}
            )
            shown = self.short if limit is None else self.short[:limit]
            lines.extend(
                _("  #%(id)s %(name)s: %(assigned)s of %(needed)s reviewers")
                % {"id": s.application_id, "name": s.startup_name or "—", "assigned": s.assigned, "needed": s.needed}
                for s in shown
            )
            if len(shown) < len(self.short):
                lines.append(_("  … and %(count)s more.") % {"count": len(self.short) - len(shown)})
        return lines


def _plan(
    needs: dict[int, int],
    loads: dict[int, int],
    caps: dict[int, int | None],
    blocked: set[tuple[int, int]],
    rng: random.Random,
) -> list[tuple[int, int]]:
    """New (reviewer, application) pairs: min-load greedy, most constrained applications first.

    Taking the K least loaded eligible reviewers for each application keeps loads within one of each
    other when every reviewer is eligible; a final pass moves new assignments from the most to the
    least loaded reviewer where conflicts made the greedy choice uneven.
    """

    def eligible(reviewer_id, app_id):
        cap = caps.get(reviewer_id)
        return (reviewer_id, app_id) not in blocked and (cap is None or loads[reviewer_id] < cap)

    blocked_count = Counter(app_id for _reviewer, app_id in blocked)
    order = list(needs)
    rng.shuffle(order)
    order.sort(key=lambda app_id: blocked_count[app_id])

    heap = [(load, rng.random(), r) for r, load in loads.items() if caps.get(r) is None or load < caps[r]]
    heapq.heapify(heap)
    planned: list[tuple[int, int]] = []
    for app_id in order:
        picked, skipped = [], []
        while heap and len(picked) < needs[app_id]:
            entry = heapq.heappop(heap)
            (picked if (entry[2], app_id) not in blocked else skipped).append(entry)
        for entry in skipped:
            heapq.heappush(heap, entry)
        for _load, _tie, reviewer_id in picked:
            planned.append((reviewer_id, app_id))
            blocked.add((reviewer_id, app_id))
            loads[reviewer_id] += 1
            if caps.get(reviewer_id) is None or loads[reviewer_id] < caps[reviewer_id]:
                heapq.heappush(heap, (loads[reviewer_id], rng.random(), reviewer_id))

    # Rebalance: move a new assignment from a most loaded reviewer to a least loaded eligible one.
    by_reviewer: dict[int, list[int]] = {}
    for index, (reviewer_id, _app) in enumerate(planned):
        by_reviewer.setdefault(reviewer_id, []).append(index)
    improved = True
    while improved and loads:
        improved = False
        low_reviewers = [r for r in sorted(loads, key=loads.get) if caps.get(r) is None or loads[r] < caps[r]]
        for high in sorted(loads, key=loads.get, reverse=True):
            for low in low_reviewers:
                if loads[high] - loads[low] <= 1:
                    break
                for position, index in enumerate(by_reviewer.get(high, [])):
                    app_id = planned[index][1]
                    if eligible(low, app_id):
                        planned[index] = (low, app_id)
                        blocked.discard((high, app_id))
                        blocked.add((low, app_id))
                        loads[high] -= 1
                        loads[low] += 1
                        by_reviewer[high].pop(position)
                        by_reviewer.setdefault(low, []).append(index)
                        improved = True
                        break
                if improved:
                    break
            if improved:
                break
    return planned


def assign_reviewers(call: Call, *, by=None, seed: int | None = None) -> AssignmentReport:
    """Fill every submitted application of the call up to K active reviewers. Safe to run again."""
    report = AssignmentReport(call=call)
    with transaction.atomic():
        # One run per call at a time: a second one waits and then only sees what is left to fill.
        call = Call.objects.select_for_update().get(pk=call.pk)
        report.call = call
        applications = reviewable_applications(call)
        detection = detect_conflicts(applications)
        report.conflicts_found, report.released = detection.found, detection.released

        pool = list(reviewer_pool())
        caps = {user.pk: getattr(getattr(user, "reviewer_profile", None), "max_assignments", None) for user in pool}
        loads = dict.fromkeys(caps, 0)
        in_call = Assignment.objects.filter(application__call=call)
        active_in_call = in_call.filter(state=AssignmentState.ACTIVE, reviewer_id__in=list(caps))
        for row in active_in_call.values("reviewer_id").annotate(count=Count("pk")).order_by():
            loads[row["reviewer_id"]] = row["count"]
        active_per_app = Counter(
            {
                row["application_id"]: row["count"]
                for row in in_call.filter(state=AssignmentState.ACTIVE, application__status=Status.SUBMITTED)
                .values("application_id")
                .annotate(count=Count("pk"))
                .order_by()
            }
        )
        # A pair that was ever assigned (even released) or is in conflict is never (re)assigned.
        blocked = set(in_call.values_list("reviewer_id", "application_id"))
        blocked |= set(
            Conflict.objects.filter(application__call=call, reviewer_id__in=list(caps)).values_list(
                "reviewer_id", "application_id"
            )
        )

        k = call.reviewers_per_application
        names = dict(applications.values_list("pk", "startup_name"))
        needs = {app_id: k - active_per_app[app_id] for app_id in names if active_per_app[app_id] < k}
        planned = _plan(needs, loads, caps, blocked, random.Random(seed))  # noqa: S311 (not security)
        Assignment.objects.bulk_create(
            (Assignment(reviewer_id=r, application_id=a, assigned_by=by) for r, a in planned),
            batch_size=5000,
            ignore_conflicts=True,
        )

        got = Counter(app_id for _reviewer, app_id in planned)
        refresh_summaries(got)
        for app_id in sorted(needs):
            have = active_per_app[app_id] + got[app_id]
            if have < k:
                report.short.append(ShortApplication(app_id, names[app_id], have, k))
        report.created = len(planned)
        report.loads = loads
        report.reviewers = len(pool)
        report.applications = len(names)
    return report


@dataclass
class ManualReport:
    created: int = 0
    already: int = 0
    conflicted: int = 0
    not_submitted: int = 0

    def lines(self) -> list[str]:
        lines = [
            ngettext("%(count)s assignment created.", "%(count)s assignments created.", self.created)
            % {"count": self.created}
        ]
        if self.already:
            lines.append(_("%(count)s were already assigned.") % {"count": self.already})
        if self.conflicted:
            lines.append(
                _("%(count)s skipped: conflict of interest (or released earlier).") % {"count": self.conflicted}
            )
        if self.not_submitted:
            lines.append(_("%(count)s skipped: application not submitted.") % {"count": self.not_submitted})
        return lines


def assign_manually(applications, reviewers, *, by=None) -> ManualReport:
    """Assign each reviewer to each application, except conflicts and applications not in review."""
    report = ManualReport()
    reviewer_ids = [r.pk for r in reviewers]
    with transaction.atomic():
        apps = Application.objects.filter(pk__in=applications.values("pk"))
        detect_conflicts(apps, reviewer_ids=reviewer_ids)
        statuses = dict(apps.values_list("pk", "status"))
        existing = {
            (reviewer_id, app_id): state
            for reviewer_id, app_id, state in Assignment.objects.filter(
                application__in=apps, reviewer_id__in=reviewer_ids
            ).values_list("reviewer_id", "application_id", "state")
        }
        conflicts = set(
            Conflict.objects.filter(application__in=apps, reviewer_id__in=reviewer_ids).values_list(
                "reviewer_id", "application_id"
            )
        )
        new = []
        for app_id, status in sorted(statuses.items()):
            for reviewer_id in reviewer_ids:
                pair = (reviewer_id, app_id)
                if status != Status.SUBMITTED:
                    report.not_submitted += 1
                elif pair in conflicts or existing.get(pair) == AssignmentState.CONFLICTED:
                    report.conflicted += 1
                elif pair in existing:
                    report.already += 1
                else:
                    new.append(Assignment(reviewer_id=reviewer_id, application_id=app_id, assigned_by=by))
        Assignment.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
        refresh_summaries({a.application_id for a in new})
        report.created = len(new)
    return report
