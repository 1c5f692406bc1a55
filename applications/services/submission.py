"""Submit and withdraw: status transitions with their confirmation e-mails."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications.completeness import missing_by_section
from applications.models import Application, Status
from applications.services.errors import DeadlinePassed, Incomplete, NotEditable
from applications.services.ownership import lock_as_owner
from applications.services.status import change_status
from core import links
from mail.services import queue_mail

SUBMITTABLE = {Status.DRAFT, Status.WITHDRAWN}
# A founder can step out while their application is still being considered.
WITHDRAWABLE = {Status.SUBMITTED, Status.SHORTLISTED, Status.WAITLISTED}


def submit_application(application_id: int, *, by, now=None) -> tuple[Application, bool]:
    """Submit once: (application, True) when this call submitted it, (application, False) if it already was.

    The row is locked, so a double click or a retried request finds it submitted and does nothing.
    The deadline is checked here, on the server, at the moment the request is handled.
    """
    now = now or timezone.now()
    with transaction.atomic():
        application = lock_as_owner(application_id, by, "call", "owner")
        if application.status == Status.SUBMITTED:
            return application, False
        if application.status not in SUBMITTABLE:
            raise NotEditable
        if not application.call.is_open_at(now):
            raise DeadlinePassed
        missing = missing_by_section(application)
        if missing:
            raise Incomplete(missing)
        application.submitted_at = now
        application.save(update_fields=["submitted_at", "updated_at"])
        change = change_status(application, Status.SUBMITTED, by=by)
        _tell_founders(application, "application_submitted", change)
    return application, True


def withdraw_application(application_id: int, *, by) -> tuple[Application, bool]:
    with transaction.atomic():
        application = lock_as_owner(application_id, by, "call", "owner")
        if application.status == Status.WITHDRAWN:
            return application, False
        if application.status not in WITHDRAWABLE:
            raise NotEditable
        change = change_status(application, Status.WITHDRAWN, by=by)
        _tell_founders(application, "application_withdrawn", change)
    return application, True


def founders_of(application: Application) -> list:
    """Owner first, then co-founders: everyone who should hear about the application."""
    return [application.owner] + [m.user for m in application.memberships.select_related("user")]


def _tell_founders(application: Application, kind: str, change) -> None:
    url = links.absolute(reverse("applications:detail", kwargs={"pk": application.pk}))
    for person in founders_of(application):
        if not person.email:
            continue
        queue_mail(
            kind=kind,
            to=person.email,
            context={"application": application, "call": application.call, "person": person, "url": url},
            language=person.language,
            # One e-mail per person per transition: retries and double clicks send nothing more.
            dedupe_key=f"{kind}:{change.pk}:{person.pk}",
            recipient=person,
        )
