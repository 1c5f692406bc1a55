"""Template helpers shared by the portal's pages."""

import zoneinfo

import markdown
import nh3
from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "blockquote", "code"}


@register.filter
def render_markdown(text):
    """Markdown from organisers, cleaned so that no script or attribute can run."""
    html = markdown.markdown(text or "", extensions=["sane_lists"])
    return mark_safe(nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}}))  # noqa: S308


@register.filter
def external_url(value):
    """The address if it is a web address (http or https), else "": a stored `javascript:` or `data:`
    link typed by someone is shown as text, never made clickable."""
    text = str(value or "").strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    return text if scheme in {"http", "https"} else ""


@register.simple_tag
def deadline(moment, zone="Europe/Paris", fmt="DATETIME"):
    """A moment in the call's zone, with the zone said next to it, in a machine-readable <time>."""
    if moment is None:
        return ""
    local = timezone.localtime(moment, zoneinfo.ZoneInfo(zone))
    from django.utils.formats import date_format

    shown = date_format(local, "DATETIME_FORMAT" if fmt == "DATETIME" else fmt)
    city = zone.split("/")[-1].replace("_", " ")
    return format_html(
        '<time datetime="{}">{}</time> <span class="text-body-secondary small">({})</span>',
        moment.isoformat(),
        shown,
        _("%(city)s time") % {"city": city},
    )
