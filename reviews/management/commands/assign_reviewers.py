from django.core.management.base import BaseCommand, CommandError

from reviews import services
from reviews.management.commands._call import get_call


class Command(BaseCommand):
    help = (
        "Give every submitted application of a call its reviewers (call.reviewers_per_application), balanced, "
        "without conflicts of interest. Only fills gaps: existing assignments are never moved or removed. "
        "Exits with status 2 when some applications are short of eligible reviewers."
    )

    def add_arguments(self, parser):
        parser.add_argument("call", help="slug (or id) of the call")
        parser.add_argument("--seed", type=int, default=None, help="random seed for reproducible tie-breaks")

    def handle(self, *args, call, seed, **options):
        report = services.assign_reviewers(get_call(call), seed=seed)
        for line in report.lines():
            self.stdout.write(line)
        if report.short:
            raise CommandError(f"{len(report.short)} applications are short of eligible reviewers.", returncode=2)
        self.stdout.write(self.style.SUCCESS("Every submitted application has its reviewers."))
