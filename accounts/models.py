from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person using the portal: founder, reviewer or organiser.

    E-mail is the identity people know; it is unique regardless of case.
    """

    email = models.EmailField(_("e-mail address"))
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Language of the portal and of the e-mails you receive."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]
        indexes = [
            # The few superusers among 100,000 founders, found without reading every row (organiser e-mails).
            models.Index(fields=["id"], condition=Q(is_superuser=True), name="user_superusers"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email or self.username
