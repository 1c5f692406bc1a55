from django.core.management.base import CommandError

from calls.models import Call


def get_call(value: str) -> Call:
    """A call by slug, or by id when the value is a number."""
    call = Call.objects.filter(slug=value).first()
    if call is None and value.isdigit():
        call = Call.objects.filter(pk=int(value)).first()
    if call is None:
        raise CommandError(f"No call with slug or id {value!r}.")
    return call
