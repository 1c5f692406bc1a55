"""Writes on applications. Views, admin, tasks and commands call these."""

from applications.models import Application, StatusChange


def change_status(application: Application, to_status: str, *, by=None, note: str = "") -> StatusChange:
    """Move an application to another status and record who did it.

    Callers hold the row (select_for_update) when the transition races with others.
    """
    change = StatusChange.objects.create(
        application=application,
        from_status=application.status,
        to_status=to_status,
        changed_by=by,
        note=note[:300],
    )
    application.status = to_status
    application.save(update_fields=["status", "updated_at"])
    return change
