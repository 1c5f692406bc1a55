from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ErasureRecord(models.Model):
    """That an account was erased, when, and what became of its applications: the audit trail of
    GDPR deletions. It holds ids only, no personal data."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasure",
        verbose_name=_("anonymised account"),
    )
    erased_at = models.DateTimeField(_("erased"))
    deleted_applications = models.JSONField(
        _("drafts deleted"), default=list, blank=True, help_text=_("Ids of the draft applications deleted.")
    )
    anonymised_applications = models.JSONField(
        _("applications anonymised"),
        default=list,
        blank=True,
        help_text=_("Ids of the submitted applications kept, without personal data, with their reviews."),
    )

    class Meta:
        verbose_name = _("account erasure")
        verbose_name_plural = _("account erasures")
        ordering = ["-erased_at", "-id"]

    def __str__(self):
        return f"#{self.user_id} · {self.erased_at:%Y-%m-%d %H:%M}"
