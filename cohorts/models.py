from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.storage import private_storage
from calls.models import ShortlistMethod


class RunTrigger(models.TextChoices):
    BEAT = "beat", _("Automatic (after the review deadline)")
    ADMIN = "admin", _("Admin")
    COMMAND = "command", _("Command line")


class StaleReason(models.TextChoices):
    RUBRIC = (
        "rubric",
        _("The rubric's weights changed after this run: its scores are not the reviews' scores any more."),
    )


class Stage(models.TextChoices):
    REVIEW = "review", _("Reviews")
    FINAL = "final", _("Final (reviews and interviews)")


class ShortlistRun(models.Model):
    """A snapshot of one shortlist computation: every application's scores and ranks.

    A review run ranks the submitted applications on their reviews; with the interview stage, its
    lock invites the top startups to interview, and a final run ranks the interviewed startups
    on their reviews and interviews together (cohorts.shortlist.final)."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="shortlist_runs")
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices, default=Stage.REVIEW)
    method = models.CharField(_("deciding method"), max_length=16, choices=ShortlistMethod.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    trigger = models.CharField(_("run by"), max_length=16, choices=RunTrigger.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("computed"), auto_now_add=True)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Computed while the call was still open: shown as such, never e-mailed, never locked.
    provisional = models.BooleanField(_("provisional"), default=False)
    # What the organiser acknowledged when locking: {"review_deadline_passed": bool,
    # "missing_reviews": n, "applications": [{"id", "startup", "section", "missing"}]}.
    lock_acknowledgement = models.JSONField(_("acknowledged at lock"), default=dict, blank=True)
    # Set when the scores it ranked no longer hold (the rubric's weights changed since): a stale
    # run is kept for the record but can never be locked; the call is run again.
    stale_since = models.DateTimeField(_("stale since"), null=True, blank=True)
    stale_reason = models.CharField(_("why it is stale"), max_length=16, choices=StaleReason.choices, blank=True)

    class Meta:
        verbose_name = _("shortlist run")
        verbose_name_plural = _("shortlist runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "stage"],
                condition=Q(locked_at__isnull=False),
                name="shortlist_one_locked_run_per_call_stage",
            ),
            # The automatic run after the review deadline happens once per call, however many sweeps.
            models.UniqueConstraint(
                fields=["call"], condition=Q(trigger="beat"), name="shortlist_one_automatic_run_per_call"
            ),
        ]

    def __str__(self):
        computed = timezone.localtime(self.created_at) if self.created_at else None
        return f"{self.call} · {self.get_method_display()} · {computed:%Y-%m-%d %H:%M}" if computed else str(self.call)

    @property
    def is_stale(self) -> bool:
        return self.stale_since is not None


class Section(models.TextChoices):
    SHORTLIST = "shortlist", _("Shortlist")
    WAITLIST = "waitlist", _("Waitlist")
    RANKED = "ranked", _("Ranked below")
    NOT_ENOUGH_REVIEWS = "not_enough", _("Not enough reviews")
    EXCLUDED = "excluded", _("Excluded")


class ShortlistEntry(models.Model):
    """An application's place in a run, as a row: stored for the shortlist, waitlist and exclusions
    of every run, and for every application once the run is locked (see cohorts.shortlist.snapshot)."""

    # No index of its own: the unique (run, application) and (run, rank) indexes start with it, and
    # a run inserts 100,000 entries at once.
    run = models.ForeignKey(ShortlistRun, on_delete=models.CASCADE, related_name="entries", db_index=False)
    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="+")
    section = models.CharField(_("section"), max_length=16, choices=Section.choices)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    score_mean = models.FloatField(_("mean"), null=True, blank=True)
    score_zscore = models.FloatField(_("z-score"), null=True, blank=True)
    score_percentile = models.FloatField(_("percentile"), null=True, blank=True)
    rank_mean = models.PositiveIntegerField(null=True, blank=True)
    rank_zscore = models.PositiveIntegerField(null=True, blank=True)
    rank_percentile = models.PositiveIntegerField(null=True, blank=True)
    review_count = models.PositiveIntegerField(_("reviews"), default=0)
    pinned = models.BooleanField(_("pinned"), default=False)
    # In the top cohort_size under all three methods.
    stable = models.BooleanField(_("stable"), default=False)

    class Meta:
        verbose_name = _("shortlist entry")
        verbose_name_plural = _("shortlist entries")
        ordering = ["run", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "application"], name="shortlist_entry_unique"),
            models.UniqueConstraint(fields=["run", "rank"], name="shortlist_rank_unique"),
        ]

    def __str__(self):
        return f"#{self.rank} {self.application}"


class ShortlistRanking(models.Model):
    """Every application's place in a run, packed in one value (cohorts.shortlist.snapshot): a run of 100,000
    applications is stored in one statement rather than 100,000 rows."""

    run = models.OneToOneField(ShortlistRun, on_delete=models.CASCADE, primary_key=True, related_name="ranking")
    data = models.BinaryField()

    class Meta:
        verbose_name = _("shortlist ranking")
        verbose_name_plural = _("shortlist rankings")

    def __str__(self):
        return str(self.run)


class DecisionKind(models.TextChoices):
    PIN = "pin", _("Pin into the shortlist")
    EXCLUDE = "exclude", _("Exclude from the shortlist")


class ShortlistOverride(models.Model):
    """An organiser's decision that the computed ranking must honour."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="shortlist_override"
    )
    kind = models.CharField(_("decision"), max_length=16, choices=DecisionKind.choices)
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pin or exclusion")
        verbose_name_plural = _("pins and exclusions")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="override_needs_reason"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.application}"


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Offers that hold a seat in the cohort.
ACTIVE_OFFER_STATUSES = (OfferStatus.PENDING, OfferStatus.ACCEPTED)


class Offer(models.Model):
    """A place in the cohort offered to one application.

    Each active offer holds one numbered seat of its call; seats are unique among active offers,
    so the database itself refuses a sixth pending-or-accepted offer for a cohort of five (the
    service only hands out seats 1..cohort_size, under a lock on the call row).
    """

    application = models.OneToOneField("applications.Application", on_delete=models.CASCADE, related_name="offer")
    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="offers", verbose_name=_("call"))
    seat = models.PositiveSmallIntegerField(_("seat"))
    status = models.CharField(_("status"), max_length=16, choices=OfferStatus.choices, default=OfferStatus.PENDING)
    offered_at = models.DateTimeField(_("offered"), auto_now_add=True)
    respond_by = models.DateTimeField(_("answer by"))
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["offered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "seat"],
                condition=Q(status__in=["pending", "accepted"]),
                name="offer_one_active_offer_per_seat",
            ),
            models.CheckConstraint(condition=Q(seat__gte=1), name="offer_seat_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "expired", "withdrawn"]) | Q(responded_at__isnull=False),
                name="offer_answer_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "respond_by"], name="offer_status_respond_by")]

    def __str__(self):
        return f"Offer to {self.application}"


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"
    JSON = "json", "JSON"


class ExportScope(models.TextChoices):
    COHORT = "cohort", _("Cohort (accepted offers)")
    SHORTLIST = "shortlist", _("Shortlist and waitlist")
    SUBMITTED = "submitted", _("Every submitted application")


class ExportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def export_upload_to(instance, filename):
    return f"exports/{instance.call_id}/{instance.pk}-{filename}"


class ExportJob(models.Model):
    """A large spreadsheet built in the background, then downloaded by an organiser."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("call"))
    scope = models.CharField(_("scope"), max_length=16, choices=ExportScope.choices)
    format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices, default=ExportFormat.XLSX)
    status = models.CharField(
        _("status"), max_length=16, choices=ExportJobStatus.choices, default=ExportJobStatus.QUEUED
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    done_rows = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to=export_upload_to, storage=private_storage, blank=True, max_length=300)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(done_rows__gte=0), name="exportjob_progress_non_negative"),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(file="") & Q(finished_at__isnull=False)),
                name="exportjob_done_has_file",
            ),
        ]

    def __str__(self):
        return self.filename or f"{self.call} · {self.scope} · {self.format}"

    @property
    def percent(self) -> int:
        if self.status == ExportJobStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(100 * self.done_rows / self.total_rows))
