from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (gave up)")


class OutboxMessage(models.Model):
    """An e-mail the portal owes someone.

    Written in the same transaction as the change that causes it, then delivered by a
    Celery task after commit. A broker or mail server that is down only delays it.
    """

    kind = models.CharField(_("kind"), max_length=64, help_text=_("Which e-mail this is, e.g. submitted."))
    # Unique: the same logical e-mail (one reminder, one offer) can only be queued once.
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, unique=True, null=True, blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=8, default="en")
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("body"))
    # Files sent with the e-mail, stored as they are sent ([{"filename", "content_type", "content"}],
    # text content): a retry days later sends what the change that caused it said, not a newer state.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox e-mail")
        verbose_name_plural = _("outbox e-mails")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=OutboxStatus.SENT) | Q(sent_at__isnull=False), name="outbox_sent_has_time"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_status_next")]

    def __str__(self):
        return f"{self.kind} → {self.to}"


class MailTemplate(models.Model):
    """An organiser's own wording of one kind of e-mail, for one call and one language.

    Without a row the built-in text (templates/mail/<kind>_*.txt) is used; deleting the row is
    the reset. Only {{ placeholder }} variables are allowed (checked by mail.templating).
    """

    call = models.ForeignKey(
        "calls.Call", on_delete=models.CASCADE, related_name="mail_templates", verbose_name=_("call")
    )
    kind = models.CharField(_("kind"), max_length=64)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("body"))
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("e-mail text")
        verbose_name_plural = _("e-mail texts")
        ordering = ["call", "kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["call", "kind", "language"], name="mailtemplate_one_per_kind_language"),
            models.CheckConstraint(condition=~Q(subject="") & ~Q(body=""), name="mailtemplate_not_empty"),
        ]

    def __str__(self):
        return f"{self.kind} ({self.language})"
