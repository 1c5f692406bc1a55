"""The interview schedule of a call, for the reception desk at STATION F: one row per booked
interview, in time order, with the startup, its founders, the start in the call's zone (said in
the header), the room or link and the panel.

A call has tens of interviews: read in three queries (bookings, founders, panels) whatever their
number, written with the cohort lists' writers (formulas neutralised, UTF-8 BOM for Excel).
"""

import tempfile
import zoneinfo
from collections import defaultdict

from django.http import FileResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.access import readable_applications
from applications.models import Application, TeamMember
from cohorts.exports import writers
from cohorts.exports.services import CONTENT_TYPES, _attachment, filename
from cohorts.models import ExportFormat
from interviews.models import Booking, Outcome, PlaceKind, Slot

SCOPE = "interview-schedule"
FORMATS = (ExportFormat.CSV, ExportFormat.XLSX)
SEPARATOR = "; "

COLUMNS = [
    ("starts_at", gettext_lazy("Start")),
    ("duration", gettext_lazy("Duration (minutes)")),
    ("startup", gettext_lazy("Startup")),
    ("founders", gettext_lazy("Founders")),
    ("founder_emails", gettext_lazy("Founder e-mails")),
    ("place", gettext_lazy("Place")),
    ("room", gettext_lazy("Room or link")),
    ("panel", gettext_lazy("Panel")),
    ("outcome", gettext_lazy("Outcome")),
]
WIDTHS = {"starts_at": 20, "startup": 28, "founders": 36, "founder_emails": 42, "room": 32, "panel": 40}


def headers(call) -> list[str]:
    city = call.time_zone.split("/")[-1].replace("_", " ")
    return [
        _("%(label)s (%(city)s time)") % {"label": label, "city": city} if key == "starts_at" else str(label)
        for key, label in COLUMNS
    ]


def widths(labels: list[str]) -> list[int]:
    return [min(50, max(len(label) + 2, WIDTHS.get(key, 12))) for (key, _l), label in zip(COLUMNS, labels, strict=True)]


def bookings(call, *, by):
    """The call's booked interviews whose startup `by` may read (applications.access), in time order."""
    readable = readable_applications(by, Application.objects.filter(call=call))
    return (
        Booking.objects.filter(slot__call=call, invitation__application__in=readable)
        .exclude(invitation__outcome=Outcome.WITHDRAWN)
        .select_related("slot", "invitation__application")
        .order_by("slot__starts_at", "slot_id")
    )


def _person(user) -> str:
    return user.get_full_name() or user.email


def cell_rows(call, *, by, typed_dates: bool = False) -> list[list]:
    """Spreadsheet cells in COLUMNS order. The start is "YYYY-MM-DD HH:MM" text in the call's zone
    for CSV; with typed_dates, a datetime in that zone for a typed XLSX cell."""
    zone = zoneinfo.ZoneInfo(call.time_zone)
    booked = list(bookings(call, by=by))
    application_ids = [b.invitation.application_id for b in booked]
    team = defaultdict(list)
    members = (
        TeamMember.objects.filter(application_id__in=application_ids)
        .order_by("application_id", "order", "id")
        .values_list("application_id", "name", "email")
    )
    for application_id, name, email in members:
        team[application_id].append((name, email))
    panels = defaultdict(list)
    rows = (
        Slot.panel.through.objects.filter(slot_id__in=[b.slot_id for b in booked])
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__email")
    )
    for row in rows:
        panels[row.slot_id].append(_person(row.user))
    outcomes = {value: str(label) for value, label in Outcome.choices}
    places = {value: str(label) for value, label in PlaceKind.choices}
    cells = []
    for booking in booked:
        slot, application = booking.slot, booking.invitation.application
        local = slot.starts_at.astimezone(zone).replace(second=0, microsecond=0)
        people = team.get(application.pk, [])
        cells.append(
            [
                local.replace(tzinfo=None) if typed_dates else local.isoformat(" ", "minutes")[:16],
                slot.duration_minutes,
                application.startup_name,
                SEPARATOR.join(name for name, _email in people if name),
                SEPARATOR.join(email for _name, email in people if email),
                places.get(slot.place_kind, slot.place_kind),
                slot.online_url if slot.place_kind == PlaceKind.ONLINE else slot.room,
                SEPARATOR.join(panels.get(slot.pk, [])),
                outcomes.get(booking.invitation.outcome, ""),
            ]
        )
    return cells


def response(call, fmt: str, *, by):
    """The schedule as a download (CSV streamed, XLSX built in a temporary file), in the language
    active now (the organiser's)."""
    name = filename(call, SCOPE, fmt)
    labels = headers(call)
    if fmt == ExportFormat.CSV:
        language = translation.get_language()
        cells = cell_rows(call, by=by)

        def chunks():
            with translation.override(language):
                yield from writers.csv_chunks(labels, cells)

        return _attachment(StreamingHttpResponse(chunks(), content_type=CONTENT_TYPES[fmt]), name)
    if fmt != ExportFormat.XLSX:
        raise ValueError(fmt)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    title = writers.sheet_title(_("Interview schedule"))
    writers.write_xlsx(handle, labels, cell_rows(call, by=by, typed_dates=True), title=title, widths=widths(labels))
    handle.seek(0)
    return _attachment(FileResponse(handle, content_type=CONTENT_TYPES[fmt]), name)
