import json

from django.core.management.base import BaseCommand, CommandError

from calls.models import Call
from cohorts import selectors
from cohorts.models import RunTrigger, Section
from cohorts.shortlist import ranking
from cohorts.shortlist.services import ShortlistError, run_shortlist

JSON_SECTIONS = {
    "shortlist": Section.SHORTLIST,
    "waitlist": Section.WAITLIST,
    "ranked": Section.RANKED,
    "not_enough_reviews": Section.NOT_ENOUGH_REVIEWS,
}


def call_from_key(key: str) -> Call:
    call = Call.objects.filter(slug=key).first() or (Call.objects.filter(pk=key).first() if key.isdigit() else None)
    if call is None:
        raise CommandError(f"No call with slug or id {key!r}.")
    return call


def entry_json(entry) -> dict:
    return {
        "application_id": entry.application_id,
        "startup": entry.application.startup_name,
        "rank": entry.rank,
        "score": entry.score,
        "review_count": entry.review_count,
        "scores": {
            ranking.MEAN: entry.score_mean,
            ranking.ZSCORE: entry.score_zscore,
            ranking.PERCENTILE: entry.score_percentile,
        },
        "ranks": {
            ranking.MEAN: entry.rank_mean,
            ranking.ZSCORE: entry.rank_zscore,
            ranking.PERCENTILE: entry.rank_percentile,
        },
        "pinned": entry.pinned,
        "stable": entry.stable,
    }


class Command(BaseCommand):
    help = "Compute and store a new shortlist snapshot for a call (refused once the call's shortlist is locked)."

    def add_arguments(self, parser):
        parser.add_argument("call", help="The call's slug or id.")
        parser.add_argument("--method", choices=ranking.METHODS, help="Deciding method (default: the call's setting).")
        parser.add_argument("--json", action="store_true", help="Print the snapshot as JSON.")

    def handle(self, *args, **options):
        call = call_from_key(options["call"])
        try:
            run = run_shortlist(call, trigger=RunTrigger.COMMAND, method=options["method"])
        except ShortlistError as error:
            raise CommandError(str(error)) from error
        sections = {name: [entry_json(e) for e in selectors.entries(run, s)] for name, s in JSON_SECTIONS.items()}
        excluded = [entry_json(e) for e in selectors.entries(run, Section.EXCLUDED)]
        if options["json"]:
            payload = {"call": call.slug, "method": run.method, "run_id": run.pk, "provisional": run.provisional}
            payload.update({**sections, "excluded": excluded})
            self.stdout.write(json.dumps(payload, indent=2, default=str))
            return
        self.stdout.write(f"Shortlist of {call} · run #{run.pk} · deciding method: {run.method}")
        if run.provisional:
            self.stdout.write(
                "Provisional: the call is still open for applications. No e-mail was sent; this run cannot be locked."
            )
        for name, rows in (*sections.items(), ("excluded", excluded)):
            self.stdout.write(f"\n{name.replace('_', ' ').capitalize()} ({len(rows)})")
            for row in rows[:20]:
                scores = "  ".join(f"{m} {_fmt(row['scores'][m])} (#{row['ranks'][m] or '-'})" for m in ranking.METHODS)
                flag = "stable" if row["stable"] else ("sensitive" if name == "shortlist" else "")
                rank = row["rank"] or "-"
                self.stdout.write(f"  {rank:>5}  {row['startup'][:36]:<36} {row['review_count']} rev. {scores} {flag}")
            if len(rows) > 20:
                self.stdout.write(f"  … {len(rows) - 20} more (use --json for all)")


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.3f}"
