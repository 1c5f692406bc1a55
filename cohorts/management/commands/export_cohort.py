import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from calls.models import Call
from cohorts.exports import services
from cohorts.models import ExportFormat, ExportScope

# Run from the shell on a production machine: the operator reads every application.
OPERATOR = None


class Command(BaseCommand):
    help = "Export a call's cohort list (cohort, shortlist or every submitted application) as CSV, XLSX or JSON."

    def add_arguments(self, parser):
        parser.add_argument("call", help="Slug (or id) of the call.")
        parser.add_argument("--scope", choices=ExportScope.values, default=ExportScope.COHORT)
        parser.add_argument("--format", choices=ExportFormat.values, default=ExportFormat.CSV, dest="fmt")
        parser.add_argument(
            "--output",
            help="File to write; default: <call>-<scope>-<date>.<format> in the current folder. '-' for stdout.",
        )
        parser.add_argument("--language", default="en", choices=["en", "fr"], help="Language of headers and labels.")

    def handle(self, *args, call, scope, fmt, output, language, **options):
        found = Call.objects.filter(slug=call).first()
        if found is None and call.isdigit():
            found = Call.objects.filter(pk=int(call)).first()
        if found is None:
            raise CommandError(f"No call with slug or id {call!r}.")
        output = output or services.filename(found, scope, fmt)
        with translation.override(language):
            if output == "-" and fmt == ExportFormat.XLSX:
                raise CommandError("XLSX is binary: give a file with --output.")
            if fmt == ExportFormat.XLSX:
                with open(output, "wb") as handle:
                    rows = services.write_xlsx_file(handle, found, scope, by=OPERATOR)
            else:
                response = services.stream(found, scope, fmt, by=OPERATOR)
                rows = None
                handle = sys.stdout.buffer if output == "-" else open(output, "wb")  # noqa: SIM115
                try:
                    for chunk in response.streaming_content:
                        handle.write(chunk)
                finally:
                    if output != "-":
                        handle.close()
        if output != "-":
            detail = f" ({rows} rows)" if rows is not None else ""
            self.stderr.write(self.style.SUCCESS(f"Wrote {output}{detail}"))
