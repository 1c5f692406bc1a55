from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from calls import phases, validation
from calls.countries import eu_eea_default


def default_founder_reminder_hours():
    return [7 * 24, 48, 3]


def default_reviewer_reminder_hours():
    return [72, 24]


class ShortlistMethod(models.TextChoices):
    MEAN = "mean", _("Mean of weighted scores")
    ZSCORE = "zscore", _("Mean of reviewer z-scores")
    PERCENTILE = "percentile", _("Mean of reviewer percentiles")


class Call(models.Model):
    """A call for applications: one edition of the programme with its deadline."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), help_text=_("Markdown: paragraphs, lists, links, emphasis."))
    eligibility_notes = models.TextField(
        _("eligibility notes"),
        blank=True,
        help_text=_("Who may apply beyond the list of countries (Markdown), e.g. the stage or the models used."),
    )
    location = models.CharField(_("location"), max_length=200)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", help_text=_("Deadlines are shown in this zone.")
    )
    opens_at = models.DateTimeField(_("applications open"))
    closes_at = models.DateTimeField(_("application deadline"))
    review_deadline = models.DateTimeField(_("review deadline"))
    programme_starts_on = models.DateField(_("programme starts"))
    programme_ends_on = models.DateField(_("programme ends"))
    cohort_size = models.PositiveSmallIntegerField(_("cohort size"), default=5)
    eligible_countries = CountryField(_("eligible countries"), multiple=True, default=eu_eea_default, blank=True)
    # Review and selection settings
    reviewers_per_application = models.PositiveSmallIntegerField(_("reviewers per application"), default=3)
    min_reviews = models.PositiveSmallIntegerField(
        _("minimum reviews to rank"),
        default=2,
        help_text=_("Applications with fewer submitted reviews are not ranked."),
    )
    shortlist_method = models.CharField(
        _("ranking method"), max_length=16, choices=ShortlistMethod.choices, default=ShortlistMethod.MEAN
    )
    disagreement_threshold = models.FloatField(
        _("disagreement threshold"),
        default=1.0,
        help_text=_("Standard deviation of weighted scores above which reviewers are flagged as disagreeing."),
    )
    founder_reminder_hours = models.JSONField(
        _("founder reminders (hours before the deadline)"), default=default_founder_reminder_hours, blank=True
    )
    reviewer_reminder_hours = models.JSONField(
        _("reviewer reminders (hours before the review deadline)"), default=default_reviewer_reminder_hours, blank=True
    )
    offer_response_days = models.PositiveSmallIntegerField(_("days to answer an offer"), default=7)
    # The interview stage (the interviews app): off at 0, and then the flow is the one without it.
    interview_size = models.PositiveSmallIntegerField(
        _("startups invited to interview"),
        default=0,
        help_text=_(
            "0: no interview stage, the cohort comes from the review shortlist. Otherwise locking the "
            "review shortlist invites this many startups, and the cohort comes from the final ranking."
        ),
    )
    interview_review_weight = models.FloatField(
        _("share of the review score in the final ranking"),
        default=0.5,
        help_text=_("From 0 to 1: 0 ranks on the interviews only, 1 on the reviews only."),
    )
    interview_booking_closes_at = models.DateTimeField(
        _("interview booking closes"),
        null=True,
        blank=True,
        help_text=_("Invited founders book or move their slot until then."),
    )
    interview_scoring_closes_after_hours = models.PositiveSmallIntegerField(
        _("panel scoring closes (hours after the last interview day)"), default=48
    )
    # The organisers' steps that move the call through its phases (calls.phases), recorded by the
    # services that take them: cohorts locks the shortlist, sends the offers and the decision e-mail.
    shortlist_locked_at = models.DateTimeField(_("shortlist locked"), null=True, blank=True, editable=False)
    offers_sent_at = models.DateTimeField(_("first offers sent"), null=True, blank=True, editable=False)
    final_ranking_locked_at = models.DateTimeField(_("final ranking locked"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(
        _("decisions published"),
        null=True,
        blank=True,
        help_text=_("Set when the decision e-mail is sent to the unsuccessful applicants."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-closes_at"]
        constraints = [
            models.CheckConstraint(condition=Q(opens_at__lt=F("closes_at")), name="call_opens_before_closes"),
            models.CheckConstraint(
                condition=Q(closes_at__lte=F("review_deadline")), name="call_closes_before_review_deadline"
            ),
            models.CheckConstraint(
                condition=Q(programme_starts_on__lte=F("programme_ends_on")), name="call_programme_dates_ordered"
            ),
            models.CheckConstraint(condition=Q(cohort_size__gt=0), name="call_cohort_size_positive"),
            models.CheckConstraint(condition=Q(reviewers_per_application__gt=0), name="call_reviewers_positive"),
            models.CheckConstraint(condition=Q(min_reviews__gt=0), name="call_min_reviews_positive"),
            models.CheckConstraint(condition=Q(offer_response_days__gt=0), name="call_offer_days_positive"),
            models.CheckConstraint(
                condition=Q(interview_review_weight__gte=0, interview_review_weight__lte=1),
                name="call_interview_review_weight_0_to_1",
            ),
            models.CheckConstraint(
                condition=Q(interview_size=0) | Q(interview_size__gte=F("cohort_size")),
                name="call_interview_size_covers_cohort",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("calls:detail", kwargs={"slug": self.slug})

    def clean(self):
        """Configuration an organiser can get wrong, as form errors on the field to correct (the
        database's check constraints stay as the last guard; a form never reaches them)."""
        errors = {}

        def check(field, rule):
            try:
                setattr(self, field, rule(getattr(self, field)))
            except ValidationError as error:
                errors[field] = error

        check("time_zone", validation.clean_time_zone)
        check("founder_reminder_hours", validation.clean_reminder_hours)
        check("reviewer_reminder_hours", validation.clean_reminder_hours)
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The application deadline must come after the opening.")
        if self.closes_at and self.review_deadline and self.review_deadline < self.closes_at:
            errors["review_deadline"] = _("The review deadline cannot come before the application deadline.")
        if self.programme_starts_on and self.programme_ends_on and self.programme_ends_on < self.programme_starts_on:
            errors["programme_ends_on"] = _("The programme cannot end before it starts.")
        if self.closes_at and self.decided_at and self.decided_at < self.closes_at:
            errors["decided_at"] = _("Decisions cannot be final before the application deadline.")
        if self.cohort_size is not None and self.cohort_size < 1:
            errors["cohort_size"] = _("The cohort needs at least one place.")
        if self.reviewers_per_application is not None and self.reviewers_per_application < 1:
            errors["reviewers_per_application"] = _("Each application needs at least one reviewer.")
        if self.min_reviews is not None:
            if self.min_reviews < 1:
                errors["min_reviews"] = _("At least one review is needed to rank an application.")
            elif self.reviewers_per_application and self.min_reviews > self.reviewers_per_application:
                errors["min_reviews"] = _(
                    "No application could be ranked: it gets %(n)d reviewers and needs %(min)d reviews."
                ) % {"n": self.reviewers_per_application, "min": self.min_reviews}
        if self.offer_response_days is not None and self.offer_response_days < 1:
            errors["offer_response_days"] = _("Founders need at least one day to answer an offer.")
        if self.disagreement_threshold is not None and self.disagreement_threshold <= 0:
            errors["disagreement_threshold"] = _("The disagreement threshold must be above zero.")
        errors.update(validation.interview_errors(self))
        if errors:
            raise ValidationError(errors)

    @property
    def has_interviews(self) -> bool:
        """The call has an interview stage (calls.phases.interviews_enabled)."""
        return phases.interviews_enabled(self)

    @property
    def phase(self) -> phases.Phase:
        """Where the call stands now: calls.phases.call_phase."""
        return phases.call_phase(self)

    def is_open_at(self, now) -> bool:
        """Applications are accepted from opens_at up to, not including, closes_at (calls.phases)."""
        return phases.is_open(self, now=now)

    @property
    def is_open(self) -> bool:
        return phases.is_open(self)


class Partner(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="partners", verbose_name=_("call"))
    name = models.CharField(_("name"), max_length=120)
    website = models.URLField(_("website"), blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True, help_text=_("What the partner brings."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["call", "name"], name="partner_unique_per_call")]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    """One line of a call's review rubric."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call"))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("scale maximum"), default=5, help_text=_("Scores run 1 to this."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="criterion_unique_per_call"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(scale_max__gte=2), name="criterion_scale_at_least_two"),
            # What reviews.Score's composite foreign key (criterion, scale_max) points to on
            # PostgreSQL, so that a score's copy of its scale is always its criterion's scale.
            models.UniqueConstraint(fields=["id", "scale_max"], name="criterion_id_scale"),
        ]

    def __str__(self):
        return self.name
