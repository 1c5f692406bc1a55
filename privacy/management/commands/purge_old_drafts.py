from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from privacy import retention


class Command(BaseCommand):
    help = (
        "Delete draft applications (and their pitch decks) of calls closed more than DRAFT_RETENTION_MONTHS "
        "months ago, and login records older than LOGIN_LOG_RETENTION_DAYS days. Beat runs it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help=f"Retention of drafts after the call closed (default: {settings.DRAFT_RETENTION_MONTHS}).",
        )
        parser.add_argument(
            "--login-days",
            type=int,
            default=None,
            help=f"Retention of login records (default: {settings.LOGIN_LOG_RETENTION_DAYS}; 0 keeps them).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args, months, login_days, dry_run, **options):
        if months is not None and months < 1:
            raise CommandError("--months must be at least 1.")
        report = retention.purge_old_drafts(months=months, login_days=login_days, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {report.drafts} draft application(s) with {report.decks} pitch deck(s) "
            f"of calls closed before {report.drafts_cutoff:%Y-%m-%d %H:%M} UTC."
        )
        if report.logins_cutoff is not None:
            self.stdout.write(
                f"{verb} {report.login_records} login record(s) older than {report.logins_cutoff:%Y-%m-%d %H:%M} UTC."
            )
