from django.core.management.base import BaseCommand, CommandError

from cohorts.management.commands.shortlist import call_from_key
from cohorts.offers import services


class Command(BaseCommand):
    help = "Offer the free seats of a call's cohort to its locked shortlist, then waitlist (one e-mail each, once)."

    def add_arguments(self, parser):
        parser.add_argument("call", help="The call's slug or id.")

    def handle(self, *args, **options):
        call = call_from_key(options["call"])
        try:
            made = services.send_offers(call)
        except services.OfferError as error:
            raise CommandError(str(error)) from error
        for offer in made:
            self.stdout.write(
                f"Offer to {offer.application.startup_name}: answer by {offer.respond_by:%Y-%m-%d %H:%M} UTC"
            )
        self.stdout.write(f"{len(made)} offer(s) sent.")
