from django import template

from applications import selectors
from applications.timefmt import deadline_text as _deadline_text

register = template.Library()

STATUS_STYLES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-primary",
    "withdrawn": "text-bg-light border",
    "shortlisted": "text-bg-info",
    "waitlisted": "text-bg-info",
    "rejected": "text-bg-light border",
    "offered": "text-bg-success",
    "accepted": "text-bg-success",
    "declined": "text-bg-light border",
}


@register.simple_tag
def application_for_call(call, user):
    """The application this person is on for the call, or None (one query)."""
    return selectors.application_for_call(user, call)


@register.filter
def status_style(status: str) -> str:
    return STATUS_STYLES.get(status, "text-bg-secondary")


@register.filter
def founder_status_style(key: str) -> str:
    return selectors.FOUNDER_STYLES.get(key, "text-bg-secondary")


@register.simple_tag
def deadline_text(moment, zone="Europe/Paris"):
    return _deadline_text(moment, zone)
