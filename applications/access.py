"""Who may read or change an application: the one rule, asked by every page, the deck download,
the admin, the exports and the services.

- Its **founders** (the owner and the co-founders who joined) read it and change its answers;
  only the **owner** submits, withdraws and manages the team (`is_owner`).
- **Organisers** read every application.
- **Reviewers** read the applications they are assigned to, while the assignment is active and
  they have no conflict of interest with it. Assignments belong to reviews, a layer above, which
  states that rule and registers it here at start-up (`add_reader_rule`).

Anyone else gets a 404 from `for_reader`/`for_editor`, whether the application exists or not, so
ids reveal nothing.
"""

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.roles import is_organiser
from applications.models import Application, Membership

# user -> the applications (as a condition on Application) this person also reads.
ReaderRule = Callable[[object], Q]
_reader_rules: list[ReaderRule] = []


def add_reader_rule(rule: ReaderRule) -> None:
    """Let a higher app say who else reads an application (reviews: the reviewers assigned to it)."""
    if rule not in _reader_rules:
        _reader_rules.append(rule)


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _founders(user) -> Q:
    joined = Membership.objects.filter(application=OuterRef("pk"), user=user)
    return Q(owner=user) | Q(Exists(joined))


def readable_applications(user, among: QuerySet[Application] | None = None) -> QuerySet[Application]:
    """Every application this person may read (of `among`, by default all): their own, those they
    review, all for organisers. An organiser's queryset is `among` itself, with no condition added."""
    applications = Application.objects.all() if among is None else among
    if not _signed_in(user):
        return applications.none()
    if is_organiser(user):
        return applications
    rule = _founders(user)
    for extra in _reader_rules:
        rule |= extra(user)
    return applications.filter(rule)


def editable_applications(user) -> QuerySet[Application]:
    """The applications this person works on as a founder (owner or co-founder).

    Whether the answers may still change (status, deadline) is the services' question, not this one.
    """
    if not _signed_in(user):
        return Application.objects.none()
    return Application.objects.filter(_founders(user))


def for_reader(user, pk) -> Application:
    """The application if this person may read it, else 404."""
    return _one(readable_applications(user), pk)


def for_editor(user, pk) -> Application:
    """The application for its founders' own pages and writes, else 404.

    Reviewers and organisers read applications in the admin, not in the founders' workspace.
    """
    return _one(editable_applications(user), pk)


def may_edit(user, application: Application) -> bool:
    if is_owner(user, application):
        return True
    return editable_applications(user).filter(pk=application.pk).exists()


def is_owner(user, application: Application) -> bool:
    return _signed_in(user) and application.owner_id == user.pk


def _one(applications: QuerySet[Application], pk) -> Application:
    application = applications.select_related("call", "owner").filter(pk=pk).first()
    if application is None:
        raise Http404
    return application
