from django.core.management.base import BaseCommand, CommandError

from cohorts import selectors
from cohorts.management.commands.shortlist import call_from_key
from cohorts.shortlist.services import ShortlistError, lock_run


class Command(BaseCommand):
    help = (
        "Lock the latest shortlist run of a call: statuses are set, founders are not told (they still see "
        "'Under review'). Before the review deadline or with reviews missing, needs --lock-anyway."
    )

    def add_arguments(self, parser):
        parser.add_argument("call", help="The call's slug or id.")
        parser.add_argument(
            "--lock-anyway",
            action="store_true",
            help="Lock even before the review deadline or with reviews missing (recorded with the lock).",
        )

    def handle(self, *args, **options):
        call = call_from_key(options["call"])
        run = selectors.latest_run(call)
        if run is None:
            raise CommandError(f"{call} has no shortlist run yet: run `shortlist {call.slug}` first.")
        try:
            run = lock_run(run, by=None, acknowledge_missing_reviews=options["lock_anyway"])
        except ShortlistError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Shortlist run #{run.pk} of {call} locked.")
        missing = run.lock_acknowledgement.get("missing_reviews")
        if run.lock_acknowledgement:
            self.stdout.write(f"Locked anyway with {missing} review(s) missing (recorded).")
