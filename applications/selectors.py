"""Reads on applications, and who may see what."""

from django.http import Http404

from accounts.roles import is_organiser
from applications.models import Application
from reviews.models import Assignment, AssignmentState


def can_view(user, application: Application) -> bool:
    """Owner, organisers, and reviewers with an active assignment on it."""
    if not user.is_authenticated:
        return False
    if application.owner_id == user.pk or is_organiser(user):
        return True
    return Assignment.objects.filter(application=application, reviewer=user, state=AssignmentState.ACTIVE).exists()


def viewable_application(user, pk: int) -> Application:
    """The application if this user may see it; otherwise 404, so ids reveal nothing."""
    application = Application.objects.select_related("call", "owner").filter(pk=pk).first()
    if application is None or not can_view(user, application):
        raise Http404
    return application
