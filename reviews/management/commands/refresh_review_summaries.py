from django.core.management.base import BaseCommand

from calls.models import Call
from reviews import services
from reviews.management.commands._call import get_call


class Command(BaseCommand):
    help = (
        "Recompute the review figures shown in the organisers' overview from assignments and reviews. "
        "Only needed after changing those rows outside the portal's services (SQL, data repair)."
    )

    def add_arguments(self, parser):
        parser.add_argument("call", nargs="?", help="slug or id of a call (default: every call)")

    def handle(self, *args, call=None, **options):
        calls = [get_call(call)] if call else list(Call.objects.all())
        for each in calls:
            count = services.refresh_call_summaries(each)
            self.stdout.write(f"{each.slug}: {count} applications refreshed.")
