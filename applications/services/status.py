from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import SELECTION_STATUSES, Application, StatusChange
from applications.services.errors import CallStillOpen
from calls.selectors import is_open


def change_status(
    application: Application, to_status: str, *, by=None, note: str = "", publish: bool = False
) -> StatusChange:
    """Move an application to another status and record who did it.

    `publish` records that the founders are told the outcome with this change (an offer, the
    decision e-mail, a withdrawn offer): until then they read "Under review". Refused while the
    call is open for a selection status: no application is ranked before the deadline.
    Callers hold the row (select_for_update) when the transition races with others.
    """
    check_selection_allowed(application.call, to_status)
    change = StatusChange.objects.create(
        application=application,
        from_status=application.status,
        to_status=to_status,
        changed_by=by,
        note=note[:300],
    )
    application.status = to_status
    fields = ["status", "updated_at"]
    if publish and application.decision_published_at is None:
        application.decision_published_at = timezone.now()
        fields.append("decision_published_at")
    application.save(update_fields=fields)
    return change


def publish_decision(application: Application) -> None:
    """Record that the founders are told the outcome, for a status set earlier (the shortlist
    lock set "not selected"; the decision e-mail tells them)."""
    if application.decision_published_at is None:
        application.decision_published_at = timezone.now()
        application.save(update_fields=["decision_published_at", "updated_at"])


def check_selection_allowed(call, to_status: str, *, now=None) -> None:
    if to_status in SELECTION_STATUSES and is_open(call, now=now):
        raise CallStillOpen(
            _(
                "The call is still open for applications: no application can be shortlisted, waitlisted "
                "or not selected before the application deadline."
            )
        )
