"""The founders' interview page (book, move) and the calendar links (founders', panel members')."""

import datetime as dt
import itertools
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications import access
from applications.services.submission import founders_of
from interviews.booking import calendar, links, selectors, services
from interviews.models import Invitation


def _invitation_or_404(request, pk):
    application = access.for_editor(request.user, pk)
    invitation = selectors.invitation_of(application)
    if invitation is None:
        # Not invited to interview: there is nothing to book, and the address says nothing more.
        raise Http404
    invitation.application = application
    return application, invitation


def _by_day(slots, zone):
    tz = zoneinfo.ZoneInfo(zone)
    return [
        (day, list(group))
        for day, group in itertools.groupby(slots, key=lambda s: timezone.localtime(s.starts_at, tz).date())
    ]


@login_required
@require_GET
def page(request, pk):
    application, invitation = _invitation_or_404(request, pk)
    call = invitation.call
    now = timezone.now()
    booking = selectors.current_booking(invitation)
    reason = selectors.why_not(invitation, now=now)
    slots = selectors.free_slots(call, now=now) if not reason else []
    change_until = None
    if booking is not None:
        change_until = booking.slot.starts_at - selectors.CHANGE_CUTOFF
        if call.interview_booking_closes_at is not None:
            change_until = min(change_until, call.interview_booking_closes_at)
    context = {
        "application": application,
        "call": call,
        "invitation": invitation,
        "booking": booking,
        "ends_at": booking.slot.starts_at + dt.timedelta(minutes=booking.slot.duration_minutes) if booking else None,
        "reason": reason,
        "days": _by_day(slots, call.time_zone),
        "change_until": change_until,
        "calendar_url": links.founder_calendar_url(invitation.pk, request.user.pk),
        "zone_label": _("%(city)s time") % {"city": call.time_zone.split("/")[-1].replace("_", " ")},
    }
    return render(request, "interviews/booking.html", context)


@login_required
@require_POST
def book(request, pk):
    application, invitation = _invitation_or_404(request, pk)
    try:
        slot_id = int(request.POST.get("slot", ""))
    except ValueError:
        messages.error(request, _("Please pick a slot."))
        return redirect("booking:page", pk=application.pk)
    try:
        booking, changed = services.book(invitation.pk, slot_id, by=request.user)
    except services.BookingError as error:
        messages.error(request, str(error))
        return redirect("booking:page", pk=application.pk)
    if changed and booking.sequence:
        messages.success(request, _("Your interview is moved. Each founder receives an e-mail with the new time."))
    elif changed:
        messages.success(request, _("Your interview is booked. Each founder receives an e-mail with the details."))
    else:
        messages.info(request, _("This slot is already yours: nothing changed."))
    return redirect("booking:page", pk=application.pk)


def _ics(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type=calendar.CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="interview.ics"'
    # Calendar programs poll the link: always the current booking, never a cached copy.
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
def founder_calendar(request, token):
    ids = links.read_founder_token(token)
    if ids is None:
        raise Http404
    invitation_id, user_id = ids
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    invitation = (
        Invitation.objects.select_related("call", "application", "booking__slot").filter(pk=invitation_id).first()
    )
    if user is None or invitation is None or not access.may_edit(user, invitation.application):
        raise Http404
    booking = selectors.current_booking(invitation)
    if booking is not None:
        booking.slot.call = invitation.call
        booking.invitation = invitation
    founders = [person for person in founders_of(invitation.application) if person.email]
    return _ics(calendar.booking_feed(booking, founders, zone=invitation.call.time_zone, language=user.language))


@require_GET
def panel_calendar(request, token):
    user_id = links.read_panel_token(token)
    user = get_user_model().objects.filter(pk=user_id, is_active=True, is_staff=True).first() if user_id else None
    if user is None:
        raise Http404
    slots = selectors.panel_slots(user)
    zone = slots[0].call.time_zone if slots else settings.TIME_ZONE
    return _ics(calendar.panel_feed(slots, zone=zone, language=user.language))
