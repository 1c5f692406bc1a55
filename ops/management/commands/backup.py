from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent backup (PostgreSQL dump, private files, manifest with checksums) to a new folder."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="a new (or empty) folder")

    def handle(self, *args, output, **options):
        try:
            report = backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for name in report.missing:
            self.stderr.write(f"Missing from storage (changed after the snapshot?): {name}")
        self.stdout.write(
            f"Backup written to {output}: database dump and {report.files} file(s), "
            f"{report.bytes / 1e6:.1f} MB, in {report.seconds:.1f} s."
        )
