"""Template helpers shared by the portal's pages."""

import hashlib
import zoneinfo

import markdown
import nh3
from django import template
from django.core.cache import cache
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "a", "h3", "h4", "blockquote", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
EXTENSIONS = ["sane_lists"]
# Rendered HTML is cached under a hash of the text: an edited text is a new entry, nothing to
# invalidate. The rules and library versions are part of the key, so changing them (an nh3 security
# release included) renders anew.
_RULES = hashlib.sha256(
    repr(
        (sorted(ALLOWED_TAGS), sorted(ALLOWED_ATTRIBUTES["a"]), EXTENSIONS, markdown.__version__, nh3.__version__)
    ).encode()
).hexdigest()[:16]
MARKDOWN_CACHE_SECONDS = 24 * 3600


@register.filter
def render_markdown(text):
    """Markdown from organisers, cleaned so that no script or attribute can run."""
    text = text or ""
    key = f"markdown:{_RULES}:{hashlib.sha256(text.encode()).hexdigest()}"
    html = cache.get(key)  # None when Redis is down too (core.redis_cache)
    if html is None:
        html = _clean_markdown(text)
        cache.set(key, html, MARKDOWN_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - cleaned by nh3 before it was stored


def _clean_markdown(text: str) -> str:
    html = markdown.markdown(text, extensions=EXTENSIONS)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES)


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


@register.simple_tag
def lang_of(obj, field):
    """` lang="en"` inside the tag holding a call's text shown in the other language (screen
    readers pronounce it right), else nothing: `<p{% lang_of call "summary" %}>`."""
    from calls.i18n import fallback_language

    language = fallback_language(obj, field)
    return format_html(' lang="{}"', language) if language else ""


@register.simple_tag
def fallback_note(obj, field):
    """A small "(in English)" after a call's text missing in the reader's language, else nothing."""
    from django.utils.translation import get_language

    from calls import i18n

    note = i18n.fallback_note(obj, field)
    if not note:
        return ""
    return format_html(' <small class="text-body-secondary" lang="{}">{}</small>', get_language(), note)


@register.filter
def by_name(countries):
    """A call's eligible countries sorted by their names in the reader's language."""
    from calls.countries import by_name as sort_by_name

    return sort_by_name(countries)


@register.filter
def reminder_sentence(hours, deadline="application"):
    """A call's reminder hours as organisers read them: "7 days, 2 days and 3 hours before the
    application deadline." (deadline: "application" or "review")."""
    from calls import reminder_offsets

    return reminder_offsets.sentence(hours or [], deadline)
