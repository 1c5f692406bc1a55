"""Writes on calls."""

from calls.models import Call, Criterion, Partner


def upsert_call(*, slug: str, defaults: dict, partners=(), criteria=()) -> tuple[Call, bool]:
    """Create a call with its partners and rubric, or leave an existing one as it is.

    Existing calls are not overwritten: organisers may have edited them since.
    """
    call, created = Call.objects.get_or_create(slug=slug, defaults=defaults)
    if created:
        Partner.objects.bulk_create(Partner(call=call, order=i, **p) for i, p in enumerate(partners))
        Criterion.objects.bulk_create(Criterion(call=call, order=i, **c) for i, c in enumerate(criteria))
    return call, created
