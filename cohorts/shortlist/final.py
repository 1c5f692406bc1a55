"""The final ranking of a call with the interview stage: reviews and interviews together.

The review shortlist's lock invited the top `interview_size` startups (interviews.services.invite);
once they are interviewed, a final run ranks them, stored as a ShortlistRun of stage "final" with
the same snapshot as a review run (so the same sections, ranks under the three methods, stability
and exports), and its lock makes the cohort and its waitlist that the offers come from.

Each method combines a review part and an interview part:

    final = w × review part + (1 − w) × interview part,   w = call.interview_review_weight

(w = 1: reviews only, w = 0: interviews only). The two parts are put on one scale per method, the
scale the method itself ranks on:

- mean (the scores themselves): each part is the share of its rubric's range its mean weighted
  score reaches, (score − 1) / (top − 1), top being the rubric's weighted mean of its criteria's
  scale maxima (the highest weighted score a sheet can get). A review mean of 4 on a 1–5 rubric
  and an interview mean of 7 on a 1–9 rubric both count 0.75.
- zscore (standardised scores): the review part starts from the review run's score (the mean of
  each reviewer's z-scores), the interview part from the mean of each panel member's z-scores
  over their own sheets; each is then standardised among the startups ranked here (mean 0,
  population deviation 1). Without this second step the review part, computed over every
  applicant, would be bunched at the top for the invited few and weigh less than w says.
- percentile (positions): each part (the review run's score, the mean of the panel members'
  percentiles) becomes its percentile among the startups ranked here, 0 to 1.

Ranked are the invited startups with at least one submitted panel sheet; the others are "not
enough" (no score yet), and no-shows and withdrawals are excluded with their recorded reason.
Ties break by more sheets, then the better review rank.
"""

import hashlib
import math
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.models import SELECTION_STATUSES, Application, Status
from applications.services import change_status
from calls.models import Call, Criterion
from calls.phases import final_ranking_locked, interviews_enabled
from cohorts import selectors
from cohorts.models import RunTrigger, Section, ShortlistEntry, ShortlistRun, Stage
from cohorts.shortlist import ranking, snapshot
from cohorts.shortlist.services import ShortlistError, ShortlistLocked, StaleRun
from cohorts.shortlist.storage import ENTRY_COLUMNS, insert_entries, insert_ranking, run_columns, store_all_rows
from interviews.models import EXCLUDING_OUTCOMES, InterviewCriterion, Invitation, PanelScoreSheet, SheetStatus
from interviews.selectors import scoring_closed, scoring_closes_at

PARTS = ("review", "interview")


class ScoringOpen(ShortlistError):
    """Locking before the panel scoring has closed needs the organiser's tick."""


@dataclass
class FinalInputs:
    field: ranking.Field
    excluded: dict[int, str]
    parts: dict[int, dict[str, list[float | None]]]
    digest: str


def _top(criteria) -> float:
    """The highest weighted score of a rubric: Σ weight × scale_max / Σ weight (5 with no criteria,
    the default scale)."""
    rows = list(criteria.values_list("weight", "scale_max"))
    total = sum(weight for weight, _scale in rows)
    return sum(weight * scale for weight, scale in rows) / total if total else 5.0


def _share(score: float, top: float) -> float:
    return (score - 1) / (top - 1) if top > 1 else 0.0


def _standardised(values: list[float]) -> list[float]:
    n = len(values)
    if not n:
        return []
    mean = math.fsum(values) / n
    deviation = math.sqrt(math.fsum((x - mean) ** 2 for x in values) / n)
    if deviation == 0 or round(deviation, ranking.PRECISION) == 0:
        return [0.0] * n
    return [(x - mean) / deviation for x in values]


def _percentiles(values: list[float]) -> list[float]:
    """Each value's percentile among them, as the reviewers' percentiles are computed (ranking)."""
    n = len(values)
    if n == 1:
        return [0.5]
    keys = [round(x, ranking.PRECISION) for x in values]
    return [(sum(k < key for k in keys) + 0.5 * (keys.count(key) - 1)) / (n - 1) for key in keys]


def load_inputs(call: Call, review_run: ShortlistRun) -> FinalInputs:
    """Every invited startup of the call as a ranking field, its two parts under each method, the
    exclusions with their reasons, and a digest of everything that decides the outcome."""
    invitations = list(
        Invitation.objects.filter(call=call)
        .order_by("review_rank")
        .values_list("application_id", "review_rank", "outcome", "outcome_reason")
    )
    # The field in application id order (what a packed snapshot stores); the review rank is the
    # tie-break in place of the submission order.
    by_rank = {row[0]: k for k, row in enumerate(invitations)}
    ids = sorted(by_rank)
    excluded = {app: reason for app, _rank, outcome, reason in invitations if outcome in EXCLUDING_OUTCOMES}
    reviews = {
        row[0]: row[1:]
        for row in ShortlistEntry.objects.filter(run=review_run, application_id__in=ids).values_list(
            "application_id", "score_mean", "score_zscore", "score_percentile"
        )
    }
    sheets = list(
        PanelScoreSheet.objects.filter(
            invitation__call=call, status=SheetStatus.SUBMITTED, weighted_score__isnull=False
        )
        .exclude(invitation__application_id__in=list(excluded))
        .order_by("pk")
        .values_list("invitation__application_id", "panel_member_id", "weighted_score")
    )
    interviews = ranking.method_scores(sheets)
    review_top = _top(Criterion.objects.filter(call=call))
    interview_top = _top(InterviewCriterion.objects.filter(call=call))
    weight = call.interview_review_weight

    # A startup pinned into the review shortlist without enough reviews has no review part: it is
    # listed with those not scored yet rather than given one.
    scored = {app for app, values in reviews.items() if None not in values}
    ranked = [
        app for app in sorted(ids, key=by_rank.get) if app in interviews and app not in excluded and app in scored
    ]
    raw = {
        "review": {
            ranking.MEAN: [_share(reviews[a][0], review_top) for a in ranked],
            ranking.ZSCORE: [reviews[a][1] for a in ranked],
            ranking.PERCENTILE: [reviews[a][2] for a in ranked],
        },
        "interview": {
            ranking.MEAN: [_share(interviews[a][1][ranking.MEAN], interview_top) for a in ranked],
            ranking.ZSCORE: [interviews[a][1][ranking.ZSCORE] for a in ranked],
            ranking.PERCENTILE: [interviews[a][1][ranking.PERCENTILE] for a in ranked],
        },
    }
    scaled = {
        part: {
            ranking.MEAN: values[ranking.MEAN],
            ranking.ZSCORE: _standardised(values[ranking.ZSCORE]),
            ranking.PERCENTILE: _percentiles(values[ranking.PERCENTILE]),
        }
        for part, values in raw.items()
    }
    parts = {
        app: {part: [scaled[part][m][i] for m in ranking.METHODS] for part in PARTS} for i, app in enumerate(ranked)
    }
    scores = {m: [None] * len(ids) for m in ranking.METHODS}
    position = {app: i for i, app in enumerate(ids)}
    for app, values in parts.items():
        for k, m in enumerate(ranking.METHODS):
            scores[m][position[app]] = weight * values["review"][k] + (1 - weight) * values["interview"][k]
    counts = [interviews[app][0] if app in parts else 0 for app in ids]
    field = ranking.Field(ids=ids, submission=[by_rank[app] for app in ids], counts=counts, scores=scores)

    digest = hashlib.sha256(f"{call.pk}|{call.cohort_size}|{weight}|{review_top}|{interview_top}".encode())
    digest.update(repr(invitations).encode())
    digest.update(repr(sorted(reviews.items())).encode())
    digest.update(repr(sheets).encode())
    return FinalInputs(field, excluded, parts, digest.hexdigest())


def run_final(call: Call, *, by=None, method: str | None = None, trigger: str = RunTrigger.ADMIN) -> ShortlistRun:
    """Compute and store a final run: only for a call with the interview stage whose review
    shortlist is locked (the startups are invited), and never once the final ranking is locked."""
    method = method or call.shortlist_method
    if method not in ranking.METHODS:
        raise ShortlistError(_("Unknown ranking method: %(method)s.") % {"method": method})
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if not interviews_enabled(call):
            raise ShortlistError(_("This call has no interview stage: its shortlist is the final ranking."))
        review_run = selectors.locked_run(call, Stage.REVIEW)
        if review_run is None:
            raise ShortlistError(_("Lock the review shortlist first: it invites the startups to interview."))
        if selectors.locked_run(call, Stage.FINAL) is not None:
            raise ShortlistLocked(_("The final ranking of this call is locked; it cannot be run again."))
        inputs = load_inputs(call, review_run)
        with ranking.paused_gc():
            placed = ranking.place_field(
                inputs.field, method, cohort_size=call.cohort_size, min_reviews=1, excluded=set(inputs.excluded)
            )
        run = ShortlistRun.objects.create(
            call=call,
            stage=Stage.FINAL,
            method=method,
            trigger=trigger,
            created_by=by,
            parameters={
                "cohort_size": call.cohort_size,
                "min_reviews": 1,
                "review_weight": call.interview_review_weight,
                "review_run": review_run.pk,
                "applications": len(inputs.field.ids),
                "excluded": {str(pk): reason for pk, reason in inputs.excluded.items()},
                "parts": {str(pk): values for pk, values in inputs.parts.items()},
                "input_digest": inputs.digest,
            },
        )
        columns = run_columns(inputs.field, placed, method)
        insert_ranking(run, snapshot.pack(columns))
        rows = zip(*(columns[name] for name in ENTRY_COLUMNS), strict=True)
        # A final run is small (tens of startups): every row is stored at once.
        insert_entries(run, rows)
    return run


def is_stale(run: ShortlistRun) -> bool:
    """The scores, outcomes or weight it ranked have changed since it was computed."""
    review_run = selectors.locked_run(run.call, Stage.REVIEW)
    return review_run is None or load_inputs(run.call, review_run).digest != run.parameters.get("input_digest")


def lock_check(run: ShortlistRun, *, now=None) -> dict:
    """What locking this final run now needs: a refusal, or what the organiser acknowledges (the
    panel scoring not closed yet, invited startups without any submitted sheet)."""
    call = run.call
    refusal = ""
    if final_ranking_locked(call):
        refusal = str(_("The final ranking of this call is already locked."))
    elif selectors.latest_run(call, Stage.FINAL).pk != run.pk:
        refusal = str(_("A newer final run exists: lock the latest one."))
    elif is_stale(run):
        refusal = str(
            _(
                "This run is stale: panel scores, interview outcomes or the review weight changed after it "
                "was computed. Run the final ranking again, then lock the new run."
            )
        )
    closed = scoring_closed(call, now=now)
    unscored = run.entries.filter(section=Section.NOT_ENOUGH_REVIEWS).count()
    return {
        "refusal": refusal,
        "scoring_closed": closed,
        "scoring_closes_at": scoring_closes_at(call),
        "unscored": unscored,
        "needs_acknowledgement": not closed or unscored > 0,
    }


def scoring_open_message(check: dict) -> str:
    parts = []
    if not check["scoring_closed"]:
        parts.append(str(_("The panel scoring has not closed yet.")))
    if check["unscored"]:
        parts.append(
            ngettext(
                "%(n)d invited startup has no submitted panel score.",
                "%(n)d invited startups have no submitted panel score.",
                check["unscored"],
            )
            % {"n": check["unscored"]}
        )
    parts.append(str(_("Tick “Lock anyway” to lock the final ranking all the same.")))
    return " ".join(parts)


# The status each section of the final run gives the invited startups.
FINAL_STATUS = {
    Section.SHORTLIST: Status.SHORTLISTED,
    Section.WAITLIST: Status.WAITLISTED,
    Section.RANKED: Status.REJECTED,
    Section.NOT_ENOUGH_REVIEWS: Status.REJECTED,
    Section.EXCLUDED: Status.REJECTED,
}


def lock_final(run: ShortlistRun, *, by, acknowledge_open_scoring: bool = False) -> ShortlistRun:
    """Make a final run the call's cohort and waitlist: stamps `final_ranking_locked_at`, sets the
    invited startups' statuses from its sections and every other selected application's to "not
    selected" (founders read "Under review" until the offer or the decision e-mail)."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=run.call_id)
        run = ShortlistRun.objects.select_related("call").get(pk=run.pk)
        if run.stage != Stage.FINAL:
            raise ShortlistError(_("This is a review run: lock it from the shortlist page."))
        check = lock_check(run)
        if check["refusal"]:
            raise (ShortlistLocked if final_ranking_locked(call) else StaleRun)(check["refusal"])
        if check["needs_acknowledgement"] and not acknowledge_open_scoring:
            raise ScoringOpen(scoring_open_message(check))
        run.locked_at = timezone.now()
        run.locked_by = by
        note = f"Final ranking run #{run.pk} locked"
        if check["needs_acknowledgement"]:
            run.lock_acknowledgement = {"scoring_closed": check["scoring_closed"], "unscored": check["unscored"]}
            note += " anyway (panel scoring open or scores missing, acknowledged)"
        run.save(update_fields=["locked_at", "locked_by", "lock_acknowledgement"])
        call.final_ranking_locked_at = run.locked_at
        call.save(update_fields=["final_ranking_locked_at", "updated_at"])
        store_all_rows(run)
        _set_final_statuses(run, call, by=by, note=note)
    return run


def _set_final_statuses(run: ShortlistRun, call: Call, *, by, note: str) -> None:
    """Tens of startups: change_status one by one keeps each one's history the usual way."""
    sections = dict(run.entries.values_list("application_id", "section"))
    selected = Application.objects.select_for_update().filter(call=call, status__in=SELECTION_STATUSES)
    for application in selected.select_related("call").order_by("pk"):
        status = FINAL_STATUS.get(sections.get(application.pk), Status.REJECTED)
        if application.status != status:
            change_status(application, status, by=by, note=note)
