"""The interview stage of a call (issue #20): its rubric, the invitations made when the review
shortlist is locked, the slots and their bookings, and the panel's score sheets.

The stage is on when the call's `interview_size` is above zero (calls.Call.has_interviews); with
it off none of these rows exist and the selection flow is the one without interviews.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class InterviewCriterion(models.Model):
    """One line of a call's interview rubric (like calls.Criterion for reviews)."""

    call = models.ForeignKey(
        "calls.Call", on_delete=models.CASCADE, related_name="interview_criteria", verbose_name=_("call")
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("scale maximum"), default=5, help_text=_("Scores run 1 to this."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("interview criterion")
        verbose_name_plural = _("interview criteria")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="interview_criterion_unique_per_call"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="interview_criterion_weight_positive"),
            models.CheckConstraint(condition=Q(scale_max__gte=2), name="interview_criterion_scale_at_least_two"),
        ]

    def __str__(self):
        return self.name


class Outcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Outcomes that keep a startup out of the final ranking; each is recorded with its reason.
EXCLUDING_OUTCOMES = (Outcome.NO_SHOW, Outcome.WITHDRAWN)


class Invitation(models.Model):
    """An application invited to interview: made when the review shortlist of a call with the
    interview stage is locked (interviews.services.invite_top)."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="interview_invitation"
    )
    # The application's call, copied so that a call's invitations are read through one index.
    call = models.ForeignKey(
        "calls.Call", on_delete=models.CASCADE, related_name="interview_invitations", verbose_name=_("call")
    )
    review_rank = models.PositiveIntegerField(_("rank after reviews"))
    invited_at = models.DateTimeField(_("invited"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_reason = models.CharField(_("reason"), max_length=300, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome_recorded_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)

    class Meta:
        verbose_name = _("interview invitation")
        verbose_name_plural = _("interview invitations")
        ordering = ["call", "review_rank"]
        constraints = [
            models.UniqueConstraint(fields=["call", "review_rank"], name="invitation_rank_unique_per_call"),
            # A no-show or a withdrawal leaves the final ranking: the reason is kept with it.
            models.CheckConstraint(
                condition=Q(outcome__in=["pending", "attended"]) | ~Q(outcome_reason=""),
                name="invitation_exclusion_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.application} (#{self.review_rank})"

    @property
    def excluded(self) -> bool:
        return self.outcome in EXCLUDING_OUTCOMES


class PlaceKind(models.TextChoices):
    ROOM = "room", _("Room")
    ONLINE = "online", _("Online")


class Slot(models.Model):
    """A time an interview can take place, with its place and its panel."""

    call = models.ForeignKey(
        "calls.Call", on_delete=models.CASCADE, related_name="interview_slots", verbose_name=_("call")
    )
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=30)
    place_kind = models.CharField(_("place"), max_length=8, choices=PlaceKind.choices, default=PlaceKind.ROOM)
    room = models.CharField(_("room"), max_length=200, blank=True, help_text=_("For example “STATION F — Room 2”."))
    online_url = models.URLField(_("online link"), blank=True)
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="interview_panels", blank=True, verbose_name=_("panel")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("interview slot")
        verbose_name_plural = _("interview slots")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["call", "starts_at"], name="slot_call_starts")]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="slot_duration_positive"),
            models.CheckConstraint(
                condition=(Q(place_kind="room") & ~Q(room="")) | (Q(place_kind="online") & ~Q(online_url="")),
                name="slot_place_given",
            ),
        ]

    def __str__(self):
        return f"{self.call} · {self.starts_at:%Y-%m-%d %H:%M} UTC"


def new_booking_uid() -> str:
    return str(uuid.uuid4())


class Booking(models.Model):
    """A slot taken by an invited startup: one startup per slot and one slot per startup, both
    enforced by the database (the two one-to-one fields)."""

    slot = models.OneToOneField(Slot, on_delete=models.PROTECT, related_name="booking")
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="booking")
    booked_at = models.DateTimeField(_("booked"), auto_now_add=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moved_at = models.DateTimeField(_("last moved"), null=True, blank=True)
    # The .ics SEQUENCE: bumped on each move, so calendars replace the event instead of adding one.
    sequence = models.PositiveIntegerField(default=0)
    # The .ics UID, kept across moves (the event is the same interview at another time).
    uid = models.CharField(max_length=64, unique=True, default=new_booking_uid, editable=False)

    class Meta:
        verbose_name = _("interview booking")
        verbose_name_plural = _("interview bookings")

    def __str__(self):
        return f"{self.invitation.application} · {self.slot}"


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class PanelScoreSheet(models.Model):
    """One panel member's scores for one interview."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="panel_sheets")
    panel_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_score_sheets"
    )
    status = models.CharField(_("status"), max_length=16, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    # sum(weight × score) / sum(weight), stored when the scores change (like reviews.Review).
    weighted_score = models.FloatField(_("weighted score"), null=True, blank=True)
    comments = models.TextField(_("comments for organisers"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("panel score sheet")
        verbose_name_plural = _("panel score sheets")
        constraints = [
            models.UniqueConstraint(fields=["invitation", "panel_member"], name="panel_sheet_unique_pair"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False, weighted_score__isnull=False),
                name="panel_sheet_submitted_complete",
            ),
        ]

    def __str__(self):
        return f"{self.panel_member} · {self.invitation}"


class PanelScore(models.Model):
    """One interview criterion's score in a sheet; scale_max copied so the database checks the bound."""

    sheet = models.ForeignKey(PanelScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(InterviewCriterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    scale_max = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("panel score")
        verbose_name_plural = _("panel scores")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="panel_score_unique_per_criterion"),
            models.CheckConstraint(
                condition=Q(value__gte=1) & Q(value__lte=F("scale_max")), name="panel_score_within_scale"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


# Admin pages that are views over other models: a proxy gives the panel's page its own entry.


class PanelInterview(Invitation):
    """An interview as its panel sees it: "My interviews" in the admin (interviews.admin.scoring)."""

    class Meta:
        proxy = True
        verbose_name = _("my interview")
        verbose_name_plural = _("my interviews")
