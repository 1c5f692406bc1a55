"""Organisers' own e-mail texts: which kinds exist, which placeholders they may use, and how an
override is checked and rendered.

An override is plain text with ``{{ placeholder }}`` variables and a few harmless filters. Tags
({% ... %}), attribute lookups ({{ a.b }}) and other filters are refused when the text is saved
and again when it is rendered, so an organiser's text can neither reach into objects nor run code.

The common placeholders are computed here from the objects in the context (call, application,
offer, recipient). Kinds whose e-mails need more (deadline reminders, the shortlist) have their
sender compute the rest as text in the recipient's language, pass it in the context, and
register those placeholders with a description and a preview (register_kind): their built-in
templates then use nothing but placeholders, like the others, and can be edited, previewed and
reset the same way.
"""

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError, defaultfilters
from django.template.base import FilterExpression, Lexer, Parser, TokenType, Variable
from django.template.loader import get_template
from django.template.utils import get_app_template_dirs
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import links

ALLOWED_FILTERS = ("upper", "lower", "title", "capfirst", "default")
# Context keys that hold objects; their fields are offered through the named placeholders below.
OBJECT_KEYS = {"call", "application", "offer", "recipient", "user", "owner", "review", "assignment", "person"}
NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: str


def _call(ctx):
    call = ctx.get("call")
    if call is None and ctx.get("application") is not None:
        call = ctx["application"].call
    return call


def _recipient(ctx):
    # Submission and withdrawal e-mails name their recipient "person" (each founder gets one).
    person = ctx.get("recipient") or ctx.get("person") or ctx.get("user")
    if person is None and ctx.get("application") is not None:
        person = ctx["application"].owner
    return person


def _moment(value, call):
    if not value:
        return ""
    zone = zoneinfo.ZoneInfo(call.time_zone if call else settings.TIME_ZONE)
    city = (call.time_zone if call else settings.TIME_ZONE).split("/")[-1].replace("_", " ")
    local = timezone.localtime(value, zone)
    return _("%(moment)s (%(city)s time)") % {"moment": formats.date_format(local, "DATETIME_FORMAT"), "city": city}


def _date(value):
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _offer_url(ctx):
    if ctx.get("offer_url"):
        return ctx["offer_url"]
    offer = ctx.get("offer")
    if offer is not None and offer.pk:
        from django.urls import reverse

        return links.absolute(reverse("cohorts:offer", kwargs={"pk": offer.pk}))
    return ""


def _name(person):
    if person is None:
        return ""
    return person.get_full_name() or person.email


def _first_name(person):
    if person is None:
        return ""
    return person.first_name or person.email


def _founder_status(application) -> str:
    """The label founders read (the application says it: mail knows no app)."""
    shown = getattr(application, "founder_status", None)
    return str(shown.label) if shown is not None else str(application.get_status_display())


# name -> (description, how to compute it from the e-mail's context)
COMMON = {
    "recipient_name": (gettext_lazy("Name of the person receiving the e-mail"), lambda c: _name(_recipient(c))),
    "recipient_first_name": (
        gettext_lazy("First name of the person receiving the e-mail (their e-mail address if they gave none)"),
        lambda c: _first_name(_recipient(c)),
    ),
    "startup_name": (
        gettext_lazy("Name of the startup"),
        lambda c: c["application"].startup_name if c.get("application") else "",
    ),
    "application_status": (
        gettext_lazy("Status of the application, as its founders see it (“Under review” until they are told)"),
        lambda c: _founder_status(c["application"]) if c.get("application") else "",
    ),
    "call_title": (gettext_lazy("Title of the call"), lambda c: _call(c).title if _call(c) else ""),
    "call_url": (
        gettext_lazy("Address of the call's page"),
        lambda c: links.absolute(_call(c).get_absolute_url()) if _call(c) else "",
    ),
    "application_deadline": (
        gettext_lazy("Application deadline, with its time zone"),
        lambda c: _moment(_call(c).closes_at, _call(c)) if _call(c) else "",
    ),
    "programme_start": (
        gettext_lazy("First day of the programme"),
        lambda c: _date(_call(c).programme_starts_on) if _call(c) else "",
    ),
    "programme_end": (
        gettext_lazy("Last day of the programme"),
        lambda c: _date(_call(c).programme_ends_on) if _call(c) else "",
    ),
    "location": (gettext_lazy("Where the programme takes place"), lambda c: _call(c).location if _call(c) else ""),
    "offer_respond_by": (
        gettext_lazy("Deadline to answer an offer, with its time zone (offer e-mails)"),
        lambda c: _moment(c["offer"].respond_by, _call(c)) if c.get("offer") else "",
    ),
    "offer_url": (gettext_lazy("Address where the founder answers the offer (offer e-mails)"), _offer_url),
    "site_url": (gettext_lazy("Address of the portal"), lambda c: settings.SITE_URL),
}


@dataclass(frozen=True)
class Preview:
    """What the editor adds to its preview context for one kind: values computed as the sender does,
    from the chosen application (or an example), and a note saying when they are an example."""

    context: dict
    note: str = ""  # lazy, so that it is shown in the organiser's language


@dataclass(frozen=True)
class Kind:
    """A kind of e-mail whose sender computes its own placeholders (as text, in the recipient's
    language) and passes them in the context: the editor documents them and previews them with
    `preview(call=, application=, viewer=)`, which answers a Preview in the active language."""

    placeholders: dict = field(default_factory=dict)  # name -> description
    preview: Callable[..., Preview] | None = None


KINDS: dict[str, Kind] = {}


def register_kind(kind: str, *, placeholders: dict, preview: Callable[..., Preview] | None = None) -> None:
    """Called by the app that sends this kind of e-mail, from its AppConfig.ready()."""
    KINDS[kind] = Kind(dict(placeholders), preview)


def _template_dirs() -> list[Path]:
    dirs = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    return dirs + [Path(d) for d in get_app_template_dirs("templates")]


def discover_kinds() -> list[str]:
    """Every kind that has a built-in subject template (templates/mail/<kind>_subject.txt).

    Account e-mails (account_*: sign-up confirmation, password reset) are sent outside any call,
    so a call's own wording could never apply to them: they are not offered for editing."""
    kinds = set()
    for folder in _template_dirs():
        for path in (folder / "mail").glob("*_subject.txt"):
            kinds.add(path.name.removesuffix("_subject.txt"))
    return sorted(kind for kind in kinds if not kind.startswith("account_"))


def _builtin_source(kind: str, part: str) -> str:
    template = get_template(f"mail/{kind}_{part}.txt")
    return template.template.source


_VARS = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*(?:\||\}\})")
_WITH = re.compile(r"=\s*([a-z_][a-z0-9_]*)(?=[\s|%])")


def extra_names(kind: str) -> list[str]:
    """Simple values the built-in templates of this kind use (e.g. hours_left in a reminder)."""
    names = set()
    for part in ("subject", "body"):
        try:
            source = _builtin_source(kind, part)
        except TemplateDoesNotExist:
            continue  # a kind without a body template simply has no extras
        names.update(_VARS.findall(source))
        for tag in re.findall(r"\{%\s*blocktrans(?:late)?\s+with\s+(.*?)%\}", source):
            names.update(_WITH.findall(tag))
    return sorted(n for n in names if n not in OBJECT_KEYS and n not in COMMON)


def own_names(kind: str) -> list[str]:
    """The placeholders of this kind beyond the common ones: registered, then found in its templates."""
    registered = list(KINDS[kind].placeholders) if kind in KINDS else []
    return registered + [name for name in extra_names(kind) if name not in registered]


def placeholders(kind: str) -> list[Placeholder]:
    items = [Placeholder(name, str(desc)) for name, (desc, _fn) in COMMON.items()]
    described = KINDS[kind].placeholders if kind in KINDS else {}
    extra_desc = _("Given by the portal for this kind of e-mail")
    items += [Placeholder(name, str(described.get(name, extra_desc))) for name in own_names(kind)]
    return items


def _parser() -> Parser:
    parser = Parser([])
    parser.filters = {name: defaultfilters.register.filters[name] for name in ALLOWED_FILTERS}
    return parser


def check(text: str, allowed: set[str]) -> None:
    """Raise ValidationError with a clear message if the text uses anything but known placeholders."""
    allowed_list = ", ".join("{{ %s }}" % name for name in sorted(allowed))  # noqa: UP031 - braces
    try:
        tokens = Lexer(text).tokenize()
    except TemplateSyntaxError as error:
        raise ValidationError(_("This text cannot be read: %(error)s") % {"error": error}) from error
    parser = _parser()
    for token in tokens:
        if token.token_type == TokenType.BLOCK:
            raise ValidationError(
                _("“{%% %(tag)s %%}” is not allowed: use only placeholders such as {{ startup_name }}.")
                % {"tag": token.contents.split(" ", 1)[0]}
            )
        if token.token_type != TokenType.VAR:
            continue
        try:
            expression = FilterExpression(token.contents, parser)
        except TemplateSyntaxError as error:
            raise ValidationError(
                _("“{{ %(text)s }}” is not allowed: %(error)s. Filters you may use: %(filters)s.")
                % {"text": token.contents, "error": error, "filters": ", ".join(ALLOWED_FILTERS)}
            ) from error
        var = expression.var
        name = var.var if isinstance(var, Variable) else None
        if name is None or var.lookups is None or len(var.lookups) != 1 or not NAME.match(name):
            raise ValidationError(
                _("“{{ %(text)s }}” is not a placeholder. Available placeholders: %(names)s.")
                % {"text": token.contents, "names": allowed_list}
            )
        if name not in allowed:
            raise ValidationError(
                _("Unknown placeholder “{{ %(name)s }}”. Available placeholders: %(names)s.")
                % {"name": name, "names": allowed_list}
            )
        for _func, args in expression.filters:
            # (True, Variable) is an argument looked up in the context; only quoted constants pass.
            if any(lookup for lookup, _arg in args):
                raise ValidationError(_('A filter argument must be a quoted text, e.g. |default:"friend".'))


def allowed_names(kind: str) -> set[str]:
    return {p.name for p in placeholders(kind)}


ENGINE = Engine(debug=False, autoescape=False)


def values(kind: str, context: dict) -> dict[str, str]:
    """The placeholder values for one e-mail, computed from the context the portal passes."""
    call = _call(context)
    result = {name: str(fn(context) or "") for name, (_desc, fn) in COMMON.items()}
    for name in own_names(kind):
        value = context.get(name, "")
        if isinstance(value, dt.datetime):
            value = _moment(value, call)
        elif isinstance(value, dt.date):
            value = _date(value)
        result[name] = "" if value is None else str(value)
    return result


def render_text(text: str, kind: str, context: dict) -> str:
    check(text, allowed_names(kind))  # stored rows are checked again: they may come from elsewhere
    return ENGINE.from_string(text).render(Context(values(kind, context), autoescape=False))


def find_override(kind: str, context: dict, language: str):
    from mail.models import MailTemplate

    call = _call(context) if isinstance(context, dict) else None
    if call is None or getattr(call, "pk", None) is None:
        return None
    # One query per call object, not per e-mail: a sweep renders thousands with the same call.
    overrides = getattr(call, "_mail_overrides", None)
    if overrides is None:
        overrides = {(t.kind, t.language): t for t in MailTemplate.objects.filter(call_id=call.pk)}
        call._mail_overrides = overrides
    return overrides.get((kind, language))


def builtin_text(kind: str, language: str) -> tuple[str, str]:
    """The built-in subject and body with {{ placeholders }} where the values go: where an organiser
    starts editing. Built-in templates that use the documented placeholders come back exactly."""
    from mail.rendering import render_builtin

    return render_builtin(kind, _PlaceholderContext(kind), language)


class _PlaceholderObject:
    def __init__(self, mapping):
        self._mapping = mapping

    def __getattr__(self, item):
        if item.startswith("_"):
            raise AttributeError(item)
        return self._mapping.get(item, "")

    def __str__(self):
        return self._mapping.get("__str__", "")


def _ph(name):
    return "{{ %s }}" % name  # noqa: UP031


class _PlaceholderContext(dict):
    """A context whose objects answer with placeholders, e.g. application.startup_name."""

    def __init__(self, kind):
        call = _PlaceholderObject(
            {
                "title": _ph("call_title"),
                "location": _ph("location"),
                "programme_starts_on": _ph("programme_start"),
                "programme_ends_on": _ph("programme_end"),
                "closes_at": _ph("application_deadline"),
                "time_zone": "Europe/Paris",
                "__str__": _ph("call_title"),
            }
        )
        application = _PlaceholderObject(
            {"startup_name": _ph("startup_name"), "call": call, "__str__": _ph("startup_name")}
        )
        person = _PlaceholderObject(
            {
                "get_full_name": _ph("recipient_name"),
                "first_name": _ph("recipient_first_name"),
                "email": _ph("recipient_name"),
                "__str__": _ph("recipient_name"),
            }
        )
        offer = _PlaceholderObject({"respond_by": _ph("offer_respond_by"), "__str__": ""})
        super().__init__(
            call=call,
            application=application,
            recipient=person,
            person=person,
            user=person,
            offer=offer,
            **{name: _ph(name) for name in [*COMMON, *own_names(kind)]},
        )
