import os
import sys

from django.core.management.base import BaseCommand

from reviews import exports
from reviews.management.commands._call import get_call


class Command(BaseCommand):
    help = (
        "Export a call's submitted reviews, one row per review, as CSV (spreadsheet-safe, UTF-8 with BOM) or JSON. "
        "Streams: memory stays flat for hundreds of thousands of reviews."
    )

    def add_arguments(self, parser):
        parser.add_argument("call", help="slug (or id) of the call")
        parser.add_argument("--format", choices=exports.FORMATS, default="csv")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, call, format, output, **options):
        chunks = exports.export(get_call(call), format)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                for chunk in chunks:
                    handle.write(chunk)
            self.stderr.write(f"Wrote {output}")
        else:
            try:
                for chunk in chunks:
                    self.stdout.write(chunk, ending="")
                self.stdout.flush()
            except BrokenPipeError:
                # Piped into `head` and the like: stop quietly, as Unix tools do.
                chunks.close()
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
