"""What reminder e-mails say beyond the common placeholders, computed by the sweep.

The values are text in the recipient's language (a deadline saying its zone, the time left, the
lists already written out), passed in the e-mail's context: the built-in texts and organisers'
own texts (mail.templating) use the same {{ placeholders }}, and neither needs tags or loops.
The e-mail text editor previews them with a real application of the call.
"""

import datetime as dt

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applications.completeness import missing_by_section, section_title
from applications.models import SUBMITTED_STATUSES, Application
from applications.timefmt import deadline_text
from core import links
from mail.templating import Preview, register_kind
from reminders import selectors

FOUNDER_KIND = "reminder_founder"
REVIEWER_KIND = "reminder_reviewer"
# A preview lists this many applications when it has to make up a reviewer's list.
SAMPLE_ASSIGNMENTS = 3
# A reviewer's e-mail lists this many assignments, then says how many more there are.
LISTED_ASSIGNMENTS = 30

# Lazy: the note is shown in the organiser's language, the preview in the e-mail's.
SAMPLE_NOTE = gettext_lazy(
    "The list of applications to review is an example: this reviewer has none left in this call."
)
TIME_LEFT = gettext_lazy("Time left until the deadline when the e-mail is sent, e.g. “2 days, 3 hours”")
FOUNDER_PLACEHOLDERS = {
    "deadline": gettext_lazy(
        "Application deadline in the call's time zone, saying which, e.g. “March 10, 2031, 11:59 p.m. (Paris time)”"
    ),
    "time_left": TIME_LEFT,
    "missing_sections": gettext_lazy(
        "What the application still lacks: “Still missing:” then one section a line with its empty fields, "
        "or a sentence saying that every section is complete"
    ),
    "url": gettext_lazy("Address of the founder's application"),
}
REVIEWER_PLACEHOLDERS = {
    "deadline": gettext_lazy(
        "Review deadline in the call's time zone, saying which, e.g. “March 31, 2031, 6:00 p.m. (Paris time)”"
    ),
    "time_left": TIME_LEFT,
    "review_count": gettext_lazy("Number of reviews the reviewer still has to submit, e.g. “2”"),
    "reviews_to_submit": gettext_lazy("The same in words, e.g. “2 reviews to submit”"),
    "applications_to_review": gettext_lazy("The same in words, e.g. “2 applications”"),
    "assignments": gettext_lazy(
        "The startups still to review, one a line; a long list ends with how many more there are"
    ),
    "url": gettext_lazy("Address of the reviews in the admin"),
}


def register() -> None:
    register_kind(FOUNDER_KIND, placeholders=FOUNDER_PLACEHOLDERS, preview=preview_founder)
    register_kind(REVIEWER_KIND, placeholders=REVIEWER_PLACEHOLDERS, preview=preview_reviewer)


# Values, in the active language ---------------------------------------------------------------


def deadline_values(call, deadline: dt.datetime, now: dt.datetime) -> dict[str, str]:
    """The same for every recipient in one language: a sweep computes them once per language."""
    return {"deadline": deadline_text(deadline, call.time_zone), "time_left": timeuntil(deadline, now)}


def founder_values(draft: Application) -> dict[str, str]:
    """draft.call must be set (eligible countries); draft.team_count saves a query when annotated."""
    missing = missing_by_section(draft, team_count=getattr(draft, "team_count", None))
    if missing:
        lines = [_("Still missing:")] + [
            "- " + _("%(title)s: %(fields)s") % {"title": section_title(key), "fields": ", ".join(labels)}
            for key, labels in missing.items()
        ]
    else:
        lines = [_("Every section is complete: all that is left is to submit.")]
    return {
        "missing_sections": "\n".join(lines),
        # Straight to the founder's own application, where the missing answers go.
        "url": links.absolute(reverse("applications:detail", args=[draft.pk])),
    }


def reviewer_values(listed: list[dict], total: int) -> dict[str, str]:
    """listed: the first assignments ({"application_id", "startup"}), total: how many in all."""
    lines = [f"- {row['startup'] or row['application_id']}" for row in listed]
    more = total - len(listed)
    if more > 0:
        lines.append(ngettext("… and %(counter)s more.", "… and %(counter)s more.", more) % {"counter": more})
    return {
        "review_count": str(total),
        "reviews_to_submit": ngettext("%(count)s review to submit", "%(count)s reviews to submit", total)
        % {"count": total},
        "applications_to_review": ngettext("%(count)s application", "%(count)s applications", total) % {"count": total},
        "assignments": "\n".join(lines),
    }


def reviews_admin_url() -> str:
    try:
        path = reverse("admin:app_list", kwargs={"app_label": "reviews"})
    except NoReverseMatch:  # the reviews app has nothing registered in the admin yet
        path = reverse("admin:index")
    return links.absolute(path)


# Previews in the e-mail text editor -----------------------------------------------------------


def _sent_at(deadline: dt.datetime, offsets: list[int]) -> dt.datetime:
    """Now while the deadline is ahead; after it, the first reminder's moment, so that a preview
    of a closed call does not say “0 minutes”."""
    now = timezone.now()
    if now < deadline:
        return now
    return deadline - dt.timedelta(hours=max(offsets or [48]))


def preview_founder(*, call, application, viewer) -> Preview:
    now = _sent_at(call.closes_at, call.founder_reminder_hours)
    return Preview(
        {
            "recipient": application.owner,
            **deadline_values(call, call.closes_at, now),
            **founder_values(application),
        }
    )


def preview_reviewer(*, call, application, viewer) -> Preview:
    """Addressed to a reviewer of the chosen application with their real list when they have one;
    otherwise to the organiser, with an example list starting with the chosen application."""
    from reviews.models import Assignment

    assignment = Assignment.objects.filter(application=application).select_related("reviewer").order_by("pk").first()
    reviewer = assignment.reviewer if assignment is not None else viewer
    pending = selectors.pending_assignments(call, [reviewer.pk], limit=LISTED_ASSIGNMENTS)
    listed, total = pending.get(reviewer.pk, ([], 0))
    note = ""
    if not total:
        others = (
            Application.objects.filter(call=call, status__in=SUBMITTED_STATUSES)
            .exclude(pk=application.pk)
            .order_by("submitted_at", "pk")[: SAMPLE_ASSIGNMENTS - 1]
        )
        listed = [{"application_id": a.pk, "startup": a.startup_name} for a in [application, *others]]
        total = len(listed)
        note = SAMPLE_NOTE
    now = _sent_at(call.review_deadline, call.reviewer_reminder_hours)
    return Preview(
        {
            "recipient": reviewer,
            **deadline_values(call, call.review_deadline, now),
            **reviewer_values(listed, total),
            "url": reviews_admin_url(),
        },
        note,
    )
