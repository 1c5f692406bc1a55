"""The first step of every write only an application's owner may make."""

from applications.access import is_owner
from applications.models import Application
from applications.services.errors import NotAllowed


def lock_as_owner(application_id: int, by, *related: str) -> Application:
    """The application, its row locked until the transaction ends; NotAllowed unless `by` owns it.

    `related` are read in the same query but not locked: only the application's own row is
    (FOR UPDATE OF), so writes to different applications of one call never wait on each other.
    """
    applications = Application.objects.select_for_update(of=("self",))
    if related:  # select_related() with no name would follow every foreign key
        applications = applications.select_related(*related)
    application = applications.get(pk=application_id)
    if not is_owner(by, application):
        raise NotAllowed
    return application
