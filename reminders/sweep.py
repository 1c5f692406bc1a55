"""The periodic sweep: the one job beat triggers. The same code runs from `send_reminders`."""

import datetime as dt
import logging
from dataclasses import dataclass, field

from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from reminders import services

logger = logging.getLogger(__name__)

# The sweep re-sends outbox e-mails still pending this long after their due time: their
# delivery task was lost (broker restarted without its queue, worker killed).
RESEND_AFTER = dt.timedelta(minutes=5)


@dataclass
class SweepReport:
    now: dt.datetime
    founder_reminders: list = field(default_factory=list)
    reviewer_reminders: list = field(default_factory=list)
    interview_reminders: list = field(default_factory=list)
    shortlists: list = field(default_factory=list)
    resent: int = 0
    expired_offers: int = 0
    failed_steps: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "now": self.now.isoformat(),
            "founder_reminders": len(self.founder_reminders),
            "reviewer_reminders": len(self.reviewer_reminders),
            "interview_reminders": len(self.interview_reminders),
            "shortlists": [run.pk for run in self.shortlists],
            "resent": self.resent,
            "expired_offers": self.expired_offers,
            "failed_steps": self.failed_steps,
        }


class SweepFailed(Exception):
    def __init__(self, report: SweepReport):
        super().__init__(f"sweep steps failed: {', '.join(report.failed_steps)}")
        self.report = report


def run_sweep(now: dt.datetime | None = None) -> SweepReport:
    """One pass over everything time-driven. `now` may pretend another time (dry runs, tests).

    Each step is independent: one that fails is logged and the others still run; the sweep
    then raises so the failure is visible, and the next sweep tries again.
    """
    from cohorts.offers.services import expire_overdue
    from cohorts.shortlist.services import run_due_shortlists
    from mail.tasks import resend_pending
    from reminders.interviews import send_interview_reminders

    report = SweepReport(now=now or timezone.now())
    sweep_id = services.new_sweep_id()

    def resend():
        # Real time, not the pretended one: this is about tasks lost now.
        report.resent = resend_pending(grace_seconds=int(RESEND_AFTER.total_seconds()))

    def founders():
        report.founder_reminders = services.send_founder_reminders(report.now, sweep_id)

    def reviewers():
        report.reviewer_reminders = services.send_reviewer_reminders(report.now, sweep_id)

    def interviews():
        report.interview_reminders = send_interview_reminders(report.now, sweep_id)

    def shortlists():
        report.shortlists = run_due_shortlists(report.now)

    def offers():
        # Real time, not the pretended one: a dry run must not expire real offers.
        report.expired_offers = expire_overdue()

    for name, step in (
        ("outbox", resend),
        ("founders", founders),
        ("reviewers", reviewers),
        ("interviews", interviews),
        ("shortlists", shortlists),
        ("offers", offers),
    ):
        try:
            step()
        except SoftTimeLimitExceeded:
            # Out of time: stop here. Batches already committed stay sent; the next sweep resumes.
            raise
        except Exception:  # one failing step must not stop the others
            logger.exception("Sweep step %s failed", name)
            report.failed_steps.append(name)
    if report.failed_steps:
        raise SweepFailed(report)
    return report
