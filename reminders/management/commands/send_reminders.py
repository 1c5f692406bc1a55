import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from reminders import selectors
from reminders.interviews import planned_interview_reminders
from reminders.models import Reminder, ReminderKind
from reminders.sweep import SweepFailed, run_sweep


def parse_now(value: str) -> dt.datetime:
    moment = parse_datetime(value)
    if moment is None:
        raise CommandError(f"--now must be an ISO-8601 date and time, e.g. 2026-12-01T09:00:00+01:00, not {value!r}.")
    if timezone.is_naive(moment):
        # A time without a zone is read in the portal's zone (Europe/Paris), as organisers think.
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = (
        "Run one reminder sweep now, synchronously: the same code as the periodic task. Reminders "
        "already sent are never sent again, so it is safe to run at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Pretend the current time is this ISO-8601 moment (default: the real time).")
        parser.add_argument("--dry-run", action="store_true", help="Show what is due without sending anything.")
        # -v 2 prints each e-mail's text as well.

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        now = parse_now(options["now"]) if options["now"] else timezone.now()
        self.stdout.write(f"Sweep at {timezone.localtime(now).isoformat()} (Europe/Paris)")
        if options["dry_run"]:
            self._dry_run(now)
            return
        try:
            report = run_sweep(now)
        except SweepFailed as failed:
            report = failed.report
            self._print(report)
            raise CommandError(f"Some steps failed (see the log): {', '.join(report.failed_steps)}") from failed
        self._print(report)

    def _print(self, report):
        reminders = report.founder_reminders + report.reviewer_reminders + report.interview_reminders
        for reminder in reminders:
            self.stdout.write(
                f"  {ReminderKind(reminder.kind).label} · {reminder.offset_hours} h before · "
                f"{reminder.email} · {reminder.subject}"
            )
            if self.verbosity >= 2:
                message = Reminder.objects.select_related("message").get(pk=reminder.pk).message
                self.stdout.write("    " + message.body.replace("\n", "\n    "))
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.founder_reminders)} founder reminder(s), "
                f"{len(report.reviewer_reminders)} reviewer reminder(s), "
                f"{len(report.interview_reminders)} interview reminder(s) queued; "
                f"{report.resent} pending e-mail(s) re-sent; {len(report.shortlists)} shortlist(s) computed."
            )
        )

    def _dry_run(self, now):
        plan = selectors.due_now(now)
        interviews = planned_interview_reminders(now)
        if not plan and not interviews:
            self.stdout.write("Nothing is due.")
        for item in plan:
            who = "founder(s)" if item["kind"] == ReminderKind.FOUNDER_DEADLINE else "reviewer(s)"
            self.stdout.write(f"{item['call'].slug}: {item['offset']} h reminder due to {item['count']} {who}")
            for email in item["recipients"]:
                self.stdout.write(f"  {email}")
        for reminder in interviews:
            label = ReminderKind(reminder.kind).label
            self.stdout.write(f"{label} · {reminder.offset_hours} h before · {reminder.email} · {reminder.subject}")
        self.stdout.write("Dry run: nothing was sent.")
