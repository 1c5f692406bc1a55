"""Who is who. Roles are Django groups (created by a data migration in reviews) so that the admin's
permission system applies; superusers count as organisers."""

ORGANISERS = "Organisers"
REVIEWERS = "Reviewers"


def _group_names(user) -> set[str]:
    cache = getattr(user, "_group_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._group_names = cache
    return cache


def is_organiser(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or ORGANISERS in _group_names(user)


def is_reviewer(user) -> bool:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return REVIEWERS in _group_names(user)
