from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from applications.models import Application


class Organisation(models.TextChoices):
    META = "meta", "Meta"
    HUGGING_FACE = "hugging_face", "Hugging Face"
    SCALEWAY = "scaleway", "Scaleway"
    OTHER = "other", _("Other")


class ReviewerProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile")
    organisation = models.CharField(_("organisation"), max_length=32, choices=Organisation.choices)
    # Domains that identify the organisation (meta.com, fb.com ...): a founder or startup on one of
    # them is a conflict of interest for this reviewer.
    email_domains = models.JSONField(_("e-mail domains"), default=list, blank=True)
    max_assignments = models.PositiveIntegerField(
        _("maximum assignments per call"),
        null=True,
        blank=True,
        help_text=_(
            "Automatic assignment gives this reviewer at most this many applications in a call. Empty: no cap."
        ),
    )

    class Meta:
        verbose_name = _("reviewer profile")
        verbose_name_plural = _("reviewer profiles")

    def __str__(self):
        return f"{self.user} ({self.get_organisation_display()})"


class AssignmentState(models.TextChoices):
    ACTIVE = "active", _("Active")
    CONFLICTED = "conflicted", _("Released: conflict of interest")


class Assignment(models.Model):
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="assignments")
    state = models.CharField(_("state"), max_length=16, choices=AssignmentState.choices, default=AssignmentState.ACTIVE)
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "application"], name="assignment_unique_pair"),
        ]
        indexes = [models.Index(fields=["application", "state"], name="assignment_app_state")]

    def __str__(self):
        return f"{self.reviewer} → {self.application}"


class ConflictSource(models.TextChoices):
    EMAIL_DOMAIN = "domain", _("Same e-mail or web domain")
    REVIEWER = "reviewer", _("Declared by the reviewer")
    ORGANISER = "organiser", _("Declared by an organiser")


class Conflict(models.Model):
    """A reviewer who must not review an application."""

    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts")
    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="conflicts")
    source = models.CharField(_("source"), max_length=16, choices=ConflictSource.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["reviewer", "application"], name="conflict_unique_pair")]

    def __str__(self):
        return f"{self.reviewer} ✕ {self.application}"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class WorkState(models.TextChoices):
    """Where a reviewer is with an assignment (derived from its review; not stored)."""

    TODO = "todo", _("To do")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    # Not submitted, and the call's reviews are closed (deadline passed or shortlist locked).
    CLOSED = "closed", _("Closed, not submitted")


class Recommendation(models.TextChoices):
    STRONG_YES = "strong_yes", _("Strong yes")
    YES = "yes", _("Yes")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No")


class Confidence(models.IntegerChoices):
    LOW = 1, _("Low: outside my expertise")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High: my field")


class Review(models.Model):
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    # The assignment's application's call, copied when the review is created (save() below) so
    # that the organisers' review list filters a call and reads it in order through one index
    # instead of joining 300,000 reviews to their applications. An application never changes call
    # once it has reviewers.
    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+", editable=False, db_index=False)
    status = models.CharField(_("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    recommendation = models.CharField(_("recommendation"), max_length=16, choices=Recommendation.choices, blank=True)
    confidence = models.PositiveSmallIntegerField(_("confidence"), choices=Confidence.choices, null=True, blank=True)
    comments = models.TextField(_("comments for organisers"), blank=True)
    # sum(weight x score) / sum(weight), stored when scores change so rankings aggregate in SQL.
    weighted_score = models.FloatField(_("weighted score"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        indexes = [
            # The organisers' review list sorts by these; with the index a page is read in order.
            models.Index(fields=["-submitted_at", "-id"], name="review_submitted_order"),
            models.Index(fields=["call", "-submitted_at", "-id"], name="review_call_submitted_order"),
            models.Index(fields=["weighted_score"], name="review_weighted_score"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__gte=1, confidence__lte=3),
                name="review_confidence_1_to_3",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False, weighted_score__isnull=False),
                name="review_submitted_complete",
            ),
        ]

    def __str__(self):
        return f"Review of {self.assignment}"

    def save(self, *args, **kwargs):
        if self.call_id is None and self.assignment_id is not None:
            self.call_id = Application.objects.filter(assignments=self.assignment_id).values_list("call_id").get()[0]
        super().save(*args, **kwargs)


class Score(models.Model):
    """One criterion's score in a review.

    scale_max is copied from the criterion so that the database itself checks the bound.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("calls.Criterion", on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    scale_max = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_unique_per_criterion"),
            models.CheckConstraint(condition=Q(value__gte=1) & Q(value__lte=F("scale_max")), name="score_within_scale"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class ReviewChangeKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    CHANGED = "changed", _("Changed after submission")


class ReviewChange(models.Model):
    """Audit trail of a submitted review: its submission and every later change, with values before and after.

    One row per save of the whole review (scores, recommendation, confidence, comments), written by
    services.save_review in the same transaction, so a change of three scores is one event.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("change"), max_length=16, choices=ReviewChangeKind.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("when"))
    # {"scores": {criterion name: value}, "weighted_score", "recommendation", "confidence", "comments"}
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict)

    class Meta:
        verbose_name = _("review change")
        verbose_name_plural = _("review history")
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["review", "changed_at"], name="reviewchange_review_time")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.changed_at:%Y-%m-%d %H:%M}"


class RubricChange(models.Model):
    """A change of a call's criterion weights once reviews existed, written by
    reviews.services.rubric.change_weights in the transaction that rescored the reviews."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+", verbose_name=_("call"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("when"))
    # [{"criterion": id, "name": ..., "before": weight, "after": weight}] for every criterion, in rubric order.
    weights = models.JSONField(_("weights"), default=list)
    reviews_changed = models.PositiveIntegerField(_("reviews rescored"), default=0)

    class Meta:
        verbose_name = _("rubric change")
        verbose_name_plural = _("rubric changes")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["call", "-changed_at"], name="rubricchange_call_time")]

    def __str__(self):
        return f"{self.call_id} · {self.changed_at:%Y-%m-%d %H:%M}"


class ReviewSummary(models.Model):
    """An application's review figures, derived from its assignments and reviews.

    Rewritten by reviews.services after every change to them (and by `refresh_review_summaries`),
    so that the organisers' overview sorts and filters 100,000 applications by score through an
    index instead of aggregating 300,000 reviews per page view. Never edited by hand.
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, primary_key=True, related_name="review_summary"
    )
    assigned_count = models.PositiveIntegerField(default=0)
    submitted_count = models.PositiveIntegerField(default=0)
    mean_score = models.FloatField(null=True, blank=True)
    score_spread = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review summary")
        verbose_name_plural = _("review summaries")
        indexes = [
            models.Index(fields=["mean_score"], name="reviewsummary_mean"),
            models.Index(fields=["score_spread"], name="reviewsummary_spread"),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.submitted_count}/{self.assigned_count}"


class ReviewerSummary(models.Model):
    """A reviewer's figures in one call, derived from their active assignments and reviews.

    Kept like ReviewSummary (reviews.services.summaries, `refresh_review_summaries`), so that the
    reviewer progress page reads a few hundred rows instead of aggregating 300,000 assignments per
    view. The sums of the submitted weighted scores and of their squares give the mean and the
    population spread over several calls too. Never edited by hand.
    """

    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_figures")
    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+")
    assigned_count = models.PositiveIntegerField(default=0)
    submitted_count = models.PositiveIntegerField(default=0)
    draft_count = models.PositiveIntegerField(default=0)
    score_sum = models.FloatField(default=0)
    score_square_sum = models.FloatField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reviewer summary")
        verbose_name_plural = _("reviewer summaries")
        constraints = [models.UniqueConstraint(fields=["reviewer", "call"], name="reviewersummary_unique_pair")]

    def __str__(self):
        return f"{self.reviewer_id} in {self.call_id}: {self.submitted_count}/{self.assigned_count}"


# Admin pages that are views over other models. Proxies give each page its own permissions,
# so the Reviewers group can be granted "My reviews" and nothing else.


class MyReview(Assignment):
    class Meta:
        proxy = True
        verbose_name = _("my review")
        verbose_name_plural = _("my reviews")


class ApplicationProgress(Application):
    class Meta:
        proxy = True
        verbose_name = _("review progress by application")
        verbose_name_plural = _("review progress by application")


class ReviewerProgress(User):
    class Meta:
        proxy = True
        verbose_name = _("review progress by reviewer")
        verbose_name_plural = _("review progress by reviewer")
