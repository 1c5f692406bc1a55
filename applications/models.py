from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from applications.storage import deck_upload_to, private_storage


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REJECTED = "rejected", _("Not selected")
    OFFERED = "offered", _("Offer made")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Offer declined")


# Statuses the selection gives; none of them while the call is still open (calls.phases.is_open).
SELECTION_STATUSES = (Status.SHORTLISTED, Status.WAITLISTED, Status.REJECTED)

# Statuses of an application that was submitted and not withdrawn (it is in the review pipeline).
SUBMITTED_STATUSES = (
    Status.SUBMITTED,
    Status.SHORTLISTED,
    Status.WAITLISTED,
    Status.REJECTED,
    Status.OFFERED,
    Status.ACCEPTED,
    Status.DECLINED,
)


class LegalForm(models.TextChoices):
    NOT_INCORPORATED = "none", _("Not incorporated yet")
    SAS = "sas", _("SAS / SASU")
    SARL = "sarl", _("SARL / EURL")
    GMBH = "gmbh", _("GmbH / UG")
    BV = "bv", _("BV")
    SL = "sl", _("SL")
    LTD = "ltd", _("Ltd / private limited company")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PROTOTYPE = "prototype", _("Prototype")
    MVP = "mvp", _("Product in use (MVP)")
    REVENUE = "revenue", _("Paying customers")
    SCALING = "scaling", _("Scaling")


class FoundationModel(models.TextChoices):
    LLAMA = "llama", "Llama"
    MISTRAL = "mistral", "Mistral"
    GEMMA = "gemma", "Gemma"
    QWEN = "qwen", "Qwen"
    DEEPSEEK = "deepseek", "DeepSeek"
    FALCON = "falcon", "Falcon"
    BLOOM = "bloom", "BLOOM"
    OTHER = "other", _("Other")


class DataKind(models.TextChoices):
    NONE = "none", _("No personal data")
    PERSONAL = "personal", _("Personal data")
    HEALTH = "health", _("Health data")
    FINANCIAL = "financial", _("Financial data")
    BIOMETRIC = "biometric", _("Biometric data")
    CHILDREN = "children", _("Data about children")
    OTHER = "other", _("Other sensitive data")


class RevenueBand(models.TextChoices):
    NONE = "none", _("No revenue yet")
    UNDER_10K = "lt10k", _("Under €10k a year")
    UNDER_100K = "lt100k", _("€10k to €100k a year")
    UNDER_1M = "lt1m", _("€100k to €1M a year")
    OVER_1M = "gte1m", _("Over €1M a year")


class Application(models.Model):
    """A founder's application to a call; a draft until submitted."""

    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="applications")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Optimistic locking: every save bumps it; a save carrying an older number is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # When the founders were told the outcome (an offer, the decision e-mail, a withdrawn offer):
    # until then a shortlisted, waitlisted or not selected application reads "Under review" to
    # them (applications.selectors.founder_status). Set by the services that send those e-mails.
    decision_published_at = models.DateTimeField(_("outcome told to the founders"), null=True, blank=True)

    # Startup
    startup_name = models.CharField(_("startup name"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    # The form's empty choice; not stored, not in migrations.
    country = CountryField(_("country"), blank=True, blank_label=_("Choose…"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=16, choices=LegalForm.choices, blank=True)
    team_size = models.PositiveSmallIntegerField(_("team size"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, blank=True)
    funding_raised_eur = models.PositiveBigIntegerField(_("funding raised so far (EUR)"), null=True, blank=True)

    # Product and AI
    problem = models.TextField(_("problem"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    target_users = models.TextField(_("who the users are"), blank=True)
    foundation_models = models.JSONField(_("open-source foundation models"), default=list, blank=True)
    foundation_models_other = models.CharField(_("other models"), max_length=200, blank=True)
    hub_usage = models.TextField(_("how you use the Hugging Face Hub"), blank=True)
    training_plans = models.TextField(_("what you would fine-tune or train"), blank=True)

    # Compute and data
    gpu_hours_per_month = models.PositiveIntegerField(_("H100 GPU-hours per month"), null=True, blank=True)
    data_must_stay_in_eu = models.BooleanField(_("data must stay in the EU"), null=True, blank=True)
    data_kinds = models.JSONField(_("kinds of data handled"), default=list, blank=True)

    # Traction and motivation
    traction = models.TextField(_("users and customers"), blank=True)
    revenue_band = models.CharField(_("revenue"), max_length=16, choices=RevenueBand.choices, blank=True)
    motivation = models.TextField(_("why this programme"), blank=True)
    available_in_paris = models.BooleanField(_("available in Paris for the programme"), null=True, blank=True)

    # Pitch deck (private)
    pitch_deck = models.FileField(
        _("pitch deck"), upload_to=deck_upload_to, storage=private_storage, blank=True, max_length=200
    )
    pitch_deck_uploaded_at = models.DateTimeField(null=True, blank=True)
    # Shown back to the founders so they know which file they sent; never used to store or serve it.
    pitch_deck_name = models.CharField(_("pitch deck file name"), max_length=255, blank=True)
    pitch_deck_size = models.PositiveIntegerField(_("pitch deck size (bytes)"), null=True, blank=True)

    # Consents
    privacy_consent = models.BooleanField(_("I have read the privacy notice"), default=False)
    accuracy_declaration = models.BooleanField(_("the information is accurate"), default=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["call", "owner"], name="application_one_per_founder_per_call"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="application_status_valid"),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT) | Q(submitted_at__isnull=False),
                name="application_submitted_has_time",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="application_version_positive"),
        ]
        indexes = [
            # With id: the reminder sweep walks a call's drafts in id order, 500 at a time.
            models.Index(fields=["call", "status", "id"], name="application_call_status_id"),
            models.Index(fields=["call", "submitted_at"], name="application_call_submitted"),
            # The admin lists read a page in their default order straight from these, with or without
            # a call filter (the application list: newest change first; the review overview: submitted
            # ones, newest first), instead of sorting 100,000 rows per page view. submitted_at alone
            # serves the date hierarchy (first and last date, EXISTS per month) across calls.
            models.Index(fields=["call", "-updated_at", "-id"], name="application_call_updated"),
            models.Index(fields=["-updated_at", "-id"], name="application_updated"),
            models.Index(
                fields=["call", "-submitted_at", "-id"],
                name="application_submitted_order",
                condition=Q(status__in=SUBMITTED_STATUSES),
            ),
            models.Index(
                fields=["-submitted_at", "-id"],
                name="application_submitted_all",
                condition=Q(status__in=SUBMITTED_STATUSES),
            ),
            models.Index(fields=["submitted_at"], name="application_submitted_at"),
            # The overview's country filter lists the countries applications come from by skipping
            # through this index (reviews.admin.filters.CountryFilter), not by reading every row.
            models.Index(
                fields=["country"], name="application_submitted_country", condition=Q(status__in=SUBMITTED_STATUSES)
            ),
        ]

    def __str__(self):
        return self.startup_name or _("Untitled application #%(id)s") % {"id": self.pk}

    def get_absolute_url(self):
        return reverse("applications:detail", kwargs={"pk": self.pk})

    @property
    def founder_status(self):
        """The status as founders read it (applications.selectors.founder_status)."""
        from applications.selectors import founder_status

        return founder_status(self)

    @property
    def is_submitted(self):
        return self.status in SUBMITTED_STATUSES


# A team member's answers, as the form, the autosave and the draft service read and write them.
TEAM_FIELDS = ("name", "role", "email", "profile_url")


class TeamMember(models.Model):
    """A founder or key person of the startup, as listed in the application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="team_members")
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    profile_url = models.URLField(_("profile link"), blank=True, help_text=_("LinkedIn, GitHub, Hugging Face..."))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class StatusChange(models.Model):
    """Audit trail: every status transition of an application, who made it and when."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=Status.choices)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "id"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class Membership(models.Model):
    """A co-founder who edits the application with its owner (the owner has no row here)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    # Copied from the application so the database can refuse a person on two applications of one call.
    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("co-founder access")
        verbose_name_plural = _("co-founder access")
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "user"], name="membership_unique_per_application"),
            models.UniqueConstraint(fields=["call", "user"], name="membership_one_application_per_call"),
        ]

    def __str__(self):
        return f"{self.user} → {self.application}"


class Invitation(models.Model):
    """An e-mailed, single-use, expiring link that lets a co-founder join an application.

    Only a hash of the token is stored: the link in the e-mail is the only copy of the secret.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "application",
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_accepted_or_revoked",
            ),
        ]

    def __str__(self):
        return self.email

    def is_open_at(self, now) -> bool:
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at
