"""What organisers read for each kind of e-mail: a title and one line on who gets it and when.

The code names (reminder_founder) stay in URLs and the database; pages show these. A kind added
later without an entry here is shown with its code name made readable, never as a blank.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class KindName:
    title: str
    description: str


NAMES = {
    "application_submitted": KindName(
        _("Application submitted"), _("To each founder of a startup, when its application is submitted.")
    ),
    "application_withdrawn": KindName(
        _("Application withdrawn"), _("To each founder, when the application is withdrawn before the deadline.")
    ),
    "application_erased": KindName(
        _("Application erased"),
        _("To the founders who lose access when an application's personal data is erased."),
    ),
    "invitation": KindName(
        _("Invitation to a co-founder"), _("To a person a founder invites to fill in the application together.")
    ),
    "reminder_founder": KindName(
        _("Reminder to founders with a draft"),
        _("Before the application deadline, at the times set in the call, to founders who have not submitted."),
    ),
    "reminder_reviewer": KindName(
        _("Reminder to reviewers"),
        _("Before the review deadline, at the times set in the call, to reviewers with reviews to submit."),
    ),
    "shortlist_ready": KindName(
        _("Shortlist ready"), _("To the organisers, when a shortlist has been computed for the call.")
    ),
    "offer": KindName(_("Offer of a seat"), _("To the founders of a startup offered a seat in the cohort.")),
    "offer_accepted": KindName(_("Offer accepted: welcome"), _("To the founders, once they accept the offer.")),
    "offer_expired": KindName(
        _("Offer expired"), _("To the founders, when the time to answer an offer has passed without an answer.")
    ),
    "offer_withdrawn": KindName(_("Offer withdrawn"), _("To the founders, when the organisers withdraw an offer.")),
    "interview_invitation": KindName(
        _("Invitation to an interview"),
        _("To the founders of each startup invited to an interview, when the review shortlist is locked."),
    ),
    "interview_booking_reminder": KindName(
        _("Reminder to book an interview"),
        _("To the founders of an invited startup that has not booked a slot, before booking closes."),
    ),
    "interview_booked": KindName(_("Interview booked"), _("To the founders, when their interview slot is booked.")),
    "interview_moved": KindName(
        _("Interview moved"), _("To the founders, when their interview moves to another slot.")
    ),
    "interview_reminder": KindName(_("Interview reminder"), _("To the founders, shortly before their interview.")),
    "interview_panel_day": KindName(
        _("Panel's day of interviews"),
        _("To each panel member, on a day they have interviews, with that day's schedule."),
    ),
    "interview_panel_update": KindName(
        _("Change to a panel's interview"),
        _("To the panel members of a slot, when its booking changes."),
    ),
    "decision": KindName(
        _("Decision: not selected"),
        _("To the applicant of every startup not in the cohort, when the organisers send the decisions."),
    ),
}


def kind_name(kind: str) -> KindName:
    return NAMES.get(kind) or KindName(kind.replace("_", " ").capitalize(), "")


def title(kind: str) -> str:
    return str(kind_name(kind).title)
