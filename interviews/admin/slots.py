"""Interview slots in the admin: one at a time (the slot form) or a series (its own page), never
two in the same room or with the same panel member at once; the list shows which are booked, and
by whom. Times are entered in the portal's zone (Paris time), as on the call's page."""

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_access import OrganiserAccessMixin
from accounts.roles import is_organiser
from applications.timefmt import deadline_text
from calls.models import Call
from interviews.booking import links as calendar_links
from interviews.booking import services as booking_services
from interviews.models import PlaceKind, Slot
from interviews.slots import services

ZONE_NOTE = _("Paris time (Europe/Paris), the portal's zone.")
# Changing one of these on a booked slot moves its interview: the founders and panel are told.
MOVING_FIELDS = {"starts_at", "duration_minutes", "place_kind", "room", "online_url"}


def _staff():
    return get_user_model().objects.filter(is_staff=True, is_active=True).order_by("first_name", "last_name", "email")


def _interview_calls():
    return Call.objects.filter(interview_size__gt=0).order_by("-closes_at")


class PlaceMixin:
    """The place: a room (e.g. “STATION F — Room 2”) or an online link, whichever the kind says."""

    def clean_place(self, cleaned):
        kind = cleaned.get("place_kind")
        if kind == PlaceKind.ROOM:
            if not cleaned.get("room", "").strip():
                self.add_error("room", _("Say which room, e.g. “STATION F — Room 2”."))
            cleaned["online_url"] = ""
        elif kind == PlaceKind.ONLINE:
            if not cleaned.get("online_url"):
                self.add_error("online_url", _("Give the link of the online meeting."))
            cleaned["room"] = ""
        duration = cleaned.get("duration_minutes")
        if duration is not None and not 0 < duration <= services.MAX_DURATION_MINUTES:
            self.add_error(
                "duration_minutes",
                _("A slot lasts from 1 to %(max)s minutes.") % {"max": services.MAX_DURATION_MINUTES},
            )


class SlotForm(PlaceMixin, forms.ModelForm):
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")

    class Meta:
        model = Slot
        fields = ("call", "starts_at", "duration_minutes", "place_kind", "room", "online_url", "panel", "notes")
        labels = {"starts_at": _("Start (Paris time)")}
        help_texts = {"starts_at": ZONE_NOTE, "panel": _("Staff members who interview in this slot.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = _interview_calls()
        self.fields["call"].help_text = _("Calls with an interview stage (more than 0 startups invited).")
        self.fields["panel"].queryset = _staff()

    def clean(self):
        cleaned = super().clean()
        self.clean_place(cleaned)
        if self.errors or not cleaned.get("starts_at"):
            return cleaned
        planned = services.Planned(
            cleaned["starts_at"], cleaned["duration_minutes"], cleaned["place_kind"], cleaned.get("room", "")
        )
        problems = services.conflicts(
            [planned], [p.pk for p in cleaned.get("panel") or []], exclude_pk=self.instance.pk
        )
        if problems:
            raise ValidationError(problems)
        return cleaned


class SeriesForm(PlaceMixin, forms.Form):
    call = forms.ModelChoiceField(label=_("Call"), queryset=Call.objects.none())
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    first_start = forms.TimeField(
        label=_("First slot starts at (Paris time)"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=ZONE_NOTE,
    )
    count = forms.IntegerField(label=_("Number of slots"), min_value=1, max_value=services.MAX_SERIES, initial=6)
    duration_minutes = forms.IntegerField(label=_("Duration of each slot (minutes)"), min_value=1, initial=30)
    gap = forms.IntegerField(
        label=_("Break between slots (minutes)"), min_value=0, initial=10, help_text=_("0 for back-to-back slots.")
    )
    place_kind = forms.ChoiceField(label=_("Place"), choices=PlaceKind.choices, initial=PlaceKind.ROOM)
    room = forms.CharField(label=_("Room"), required=False, help_text=_("For example “STATION F — Room 2”."))
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    panel = forms.ModelMultipleChoiceField(
        label=_("Panel"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Staff members who interview in every slot of the series."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = _interview_calls()
        self.fields["panel"].queryset = _staff()
        self.starts = []

    def clean(self):
        cleaned = super().clean()
        self.clean_place(cleaned)
        if self.errors:
            return cleaned
        self.starts = services.series_starts(
            settings.TIME_ZONE,
            cleaned["day"],
            cleaned["first_start"],
            count=cleaned["count"],
            duration=cleaned["duration_minutes"],
            gap=cleaned["gap"],
        )
        if self.starts[0] <= timezone.now():
            self.add_error("first_start", _("The first slot would start in the past."))
            return cleaned
        planned = [
            services.Planned(start, cleaned["duration_minutes"], cleaned["place_kind"], cleaned["room"])
            for start in self.starts
        ]
        problems = services.conflicts(planned, [p.pk for p in cleaned["panel"]])
        if problems:
            raise ValidationError(problems)
        return cleaned


class BookedFilter(admin.SimpleListFilter):
    title = _("booking")
    parameter_name = "booked"

    def lookups(self, request, model_admin):
        return (("yes", _("Booked")), ("no", _("Free")))

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(booking__isnull=self.value() == "no")
        return queryset


@admin.register(Slot)
class SlotAdmin(OrganiserAccessMixin, admin.ModelAdmin):
    form = SlotForm
    list_display = ("start", "duration_minutes", "place", "panel_names", "booked_by", "call")
    list_filter = ("call", BookedFilter, "place_kind")
    list_select_related = ("call", "booking__invitation__application")
    filter_horizontal = ("panel",)
    ordering = ("starts_at", "pk")
    change_list_template = "admin/interviews/slot/change_list.html"

    def changelist_view(self, request, extra_context=None):
        # An organiser who sits on panels subscribes to the same feed as the other panel members.
        extra = {"panel_calendar_url": calendar_links.panel_calendar_url(request.user.pk), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("panel")

    @admin.display(description=_("start (Paris time)"), ordering="starts_at")
    def start(self, obj):
        return deadline_text(obj.starts_at, obj.call.time_zone)

    @admin.display(description=_("place"))
    def place(self, obj):
        return obj.room if obj.place_kind == PlaceKind.ROOM else obj.online_url

    @admin.display(description=_("panel"))
    def panel_names(self, obj):
        return ", ".join(member.get_full_name() or member.email for member in obj.panel.all()) or "—"

    @admin.display(description=_("booked by"))
    def booked_by(self, obj):
        booking = getattr(obj, "booking", None)
        if booking is None:
            return _("Free")
        return booking.invitation.application.startup_name or booking.invitation.application

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        previous = None
        if change and MOVING_FIELDS & set(form.changed_data):
            previous = Slot.objects.select_related("call").get(pk=obj.pk)
        super().save_model(request, obj, form, change)
        if previous is not None and booking_services.slot_changed(obj.pk, previous) is not None:
            self.message_user(
                request,
                _("This slot is booked: its founders and panel are told of the change, with the new time."),
                messages.INFO,
            )

    def get_urls(self):
        return [
            path("series/", self.admin_site.admin_view(self.series_view), name="interviews_slot_series"),
            *super().get_urls(),
        ]

    def series_view(self, request):
        if not is_organiser(request.user) or not self.has_add_permission(request):
            raise PermissionDenied
        form = SeriesForm(request.POST or None, initial={"day": timezone.localdate() + dt.timedelta(days=7)})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                slots = services.create_series(
                    data["call"],
                    form.starts,
                    duration=data["duration_minutes"],
                    place_kind=data["place_kind"],
                    room=data["room"],
                    online_url=data["online_url"],
                    panel=data["panel"],
                    notes=data["notes"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    ngettext("%(count)d slot created.", "%(count)d slots created.", len(slots)) % {"count": len(slots)},
                    messages.SUCCESS,
                )
                url = reverse("admin:interviews_slot_changelist")
                return HttpResponseRedirect(f"{url}?call__id__exact={data['call'].pk}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Add a series of interview slots"),
            "form": form,
        }
        return TemplateResponse(request, "admin/interviews/slot/series.html", context)
