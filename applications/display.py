"""Answers as founders read them back: labels and human values, section by section."""

import datetime as dt

from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django_countries.fields import Country

from applications.completeness import SECTIONS
from applications.forms import ApplicationForm
from applications.models import DataKind, FoundationModel
from applications.sections import SECTION_FIELDS

_CHOICE_LISTS = {"foundation_models": dict(FoundationModel.choices), "data_kinds": dict(DataKind.choices)}
EMPTY = "—"


def field_label(name: str) -> str:
    return str(ApplicationForm.base_fields[name].label)


def display_value(application, name: str, value=None, *, use_value=False) -> str:
    """The answer to one field as text; `use_value` shows a candidate value instead of the saved one."""
    if not use_value:
        value = getattr(application, name)
    if value is None or value == "" or value == []:
        return EMPTY
    if name in _CHOICE_LISTS:
        return ", ".join(str(_CHOICE_LISTS[name].get(v, v)) for v in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Country) or name == "country":
        return Country(str(value)).name or EMPTY
    if isinstance(value, dt.date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    field = application._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def answers_by_section(application, team_members) -> list[dict]:
    """[{key, title, rows: [(label, text)], team, deck}] in form order."""
    sections = []
    for key, (title, _fields) in SECTIONS.items():
        rows = [(field_label(name), display_value(application, name)) for name in SECTION_FIELDS[key]]
        section = {"key": key, "title": str(title), "rows": rows}
        if key == "team":
            section["team"] = team_members
        if key == "deck":
            section["deck"] = deck_summary(application)
        sections.append(section)
    return sections


def deck_summary(application) -> dict | None:
    if not application.pitch_deck:
        return None
    return {
        "name": application.pitch_deck_name or _("pitch-deck.pdf"),
        "size": filesizeformat(application.pitch_deck_size) if application.pitch_deck_size else "",
        "uploaded_at": application.pitch_deck_uploaded_at,
    }


def conflicting_answers(current, form, team_rows) -> list[tuple[str, str, str]]:
    """Where what the founder sent differs from what is saved now: (label, saved, theirs)."""
    if not form.is_valid():
        return []
    diffs = []
    for name, theirs in form.content_values().items():
        saved = getattr(current, name)
        if _normalise(saved) != _normalise(theirs):
            diffs.append(
                (field_label(name), display_value(current, name), display_value(current, name, theirs, use_value=True))
            )
    saved_team = [(m.name, m.role, m.email, m.profile_url) for m in current.team_members.all()]
    their_team = [(r["name"], r["role"], r["email"], r["profile_url"]) for r in team_rows]
    if saved_team != their_team:
        diffs.append(
            (
                _("Team"),
                ", ".join(row[0] for row in saved_team) or EMPTY,
                ", ".join(row[0] for row in their_team) or EMPTY,
            )
        )
    return diffs


def _normalise(value):
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, Country):
        return value.code or None
    if isinstance(value, list):
        return sorted(value)
    return value
