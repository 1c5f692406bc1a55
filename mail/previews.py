"""What the e-mail text editor previews with. The apps that own what the e-mails speak of register,
when they load, where the examples come from (a call's applications) and what else an e-mail about
one of them carries (its offer); mail itself imports none of them."""

from collections.abc import Callable

# call -> the examples the organiser picks from (objects with .pk, .owner and .call), best first
_examples: list[Callable[..., list]] = []
# (call, example) -> values added to the preview context, e.g. {"offer": ..., "offer_url": ...}
_extras: list[Callable[..., dict]] = []


def register_examples(source: Callable[..., list]) -> None:
    if source not in _examples:
        _examples.append(source)


def register_context(extra: Callable[..., dict]) -> None:
    if extra not in _extras:
        _extras.append(extra)


def examples(call) -> list:
    return [example for source in _examples for example in source(call)]


def context(call, example) -> dict:
    """The context the portal would pass for this example: its call and recipient, and what the apps add."""
    values = {"call": call, "application": example, "recipient": example.owner}
    for extra in _extras:
        values.update(extra(call, example))
    return values
