from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    FOUNDER_DEADLINE = "founder", _("Founder: application deadline")
    REVIEWER_DEADLINE = "reviewer", _("Reviewer: review deadline")
    INTERVIEW_BOOKING = "iv_booking", _("Founder: book an interview slot")
    INTERVIEW_SLOT = "iv_slot", _("Founder: interview coming up")
    INTERVIEW_PANEL_DAY = "iv_panel_day", _("Panel member: the day's interviews")


# Kinds whose subject is a call, not an application.
CALL_KINDS = ("reviewer", "iv_panel_day")


class Reminder(models.Model):
    """The ledger: one row per reminder owed, written before its e-mail is queued.

    The unique constraints are what make reminders exactly-once: a second sweep (another
    beat, a retried task, a worker restarted mid-sweep) cannot insert the same row again, and
    only the sweep whose insert succeeded queues the e-mail.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="reminders", verbose_name=_("call"))
    # The subject of a founder reminder is an application; of a reviewer or panel reminder, the call.
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("application"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("recipient")
    )
    offset_hours = models.PositiveIntegerField(_("hours before the deadline"))
    # The moment the reminder is about: a deadline, an interview's start (a moved interview is
    # reminded again at its new time) or a panel's interview day (08:00 in the call's zone).
    deadline = models.DateTimeField(_("deadline announced"))
    due_at = models.DateTimeField(_("due"))
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    # Which sweep inserted the row: lets that sweep read back the rows it won.
    sweep = models.CharField(max_length=32, editable=False)
    message = models.OneToOneField(
        "mail.OutboxMessage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminder",
        verbose_name=_("e-mail"),
    )

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "application", "offset_hours"],
                condition=Q(kind="founder"),
                name="reminder_once_per_founder_application_offset",
            ),
            models.UniqueConstraint(
                fields=["recipient", "call", "offset_hours"],
                condition=Q(kind="reviewer"),
                name="reminder_once_per_reviewer_call_offset",
            ),
            models.UniqueConstraint(
                fields=["recipient", "application", "offset_hours"],
                condition=Q(kind="iv_booking"),
                name="reminder_once_per_founder_booking_offset",
            ),
            # The slot's start is part of the key: after a move, the new time is reminded once too.
            models.UniqueConstraint(
                fields=["recipient", "application", "offset_hours", "deadline"],
                condition=Q(kind="iv_slot"),
                name="reminder_once_per_founder_slot_time_offset",
            ),
            models.UniqueConstraint(
                fields=["recipient", "call", "deadline"],
                condition=Q(kind="iv_panel_day"),
                name="reminder_once_per_panel_member_day",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CALL_KINDS) | Q(application__isnull=False),
                name="reminder_founder_has_application",
            ),
        ]
        indexes = [models.Index(fields=["sweep"], name="reminder_sweep")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.offset_hours} h · {self.recipient}"


class SweepRecord(models.Model):
    """When the periodic sweep last completed without a failed step (one row per job name).

    /healthz and the metrics read it: a sweep older than fifteen minutes means beat or the workers
    stopped, and with them reminders, shortlists and the outbox's retries."""

    name = models.CharField(max_length=32, primary_key=True)
    completed_at = models.DateTimeField(_("last completed"))
    duration_seconds = models.FloatField(_("duration (seconds)"))

    class Meta:
        verbose_name = _("sweep record")
        verbose_name_plural = _("sweep records")

    def __str__(self):
        return f"{self.name}: {self.completed_at:%Y-%m-%d %H:%M:%S}"
