from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup folder into an empty database and an empty file storage (checksums checked first)."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="a folder written by `manage.py backup`")

    def handle(self, *args, source, **options):
        try:
            report = restore(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {source}: {report.tables} tables and {report.files} file(s), "
            f"{report.bytes / 1e6:.1f} MB, in {report.seconds:.1f} s."
        )
