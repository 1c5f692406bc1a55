"""An application laid out read-only for its reviewers: every section of the founder's form."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applications.completeness import SECTIONS
from applications.models import Application, DataKind, FoundationModel
from applications.sections import SECTION_FIELDS

# Fields that are bookkeeping, shown elsewhere, or not the founders' answers.
NOT_SHOWN = {
    "id",
    "call",
    "owner",
    "status",
    "version",
    "created_at",
    "updated_at",
    "submitted_at",
    "pitch_deck",
    "pitch_deck_uploaded_at",
    "privacy_consent",
    "accuracy_declaration",
}
# Answer sections reviewers read (consents are not), in form order; team and deck are added around them.
SHOWN_SECTIONS = ("startup", "product", "compute", "traction")
LIST_CHOICES = {"foundation_models": dict(FoundationModel.choices), "data_kinds": dict(DataKind.choices)}


def is_web_link(value: str) -> bool:
    """Only http(s) addresses become links: a javascript: URL stays inert text."""
    return str(value).lower().startswith(("https://", "http://"))


def _row(application: Application, field: models.Field) -> dict:
    value = getattr(application, field.name)
    row = {"label": field.verbose_name, "value": value, "kind": "text"}
    if value in (None, "", []):
        row["kind"] = "empty"
    elif field.name in LIST_CHOICES:
        labels = LIST_CHOICES[field.name]
        row["value"] = ", ".join(str(labels.get(v, v)) for v in value)
    elif isinstance(field, models.BooleanField):
        row["value"] = _("Yes") if value else _("No")
    elif field.choices:
        row["value"] = getattr(application, f"get_{field.name}_display")()
    elif field.name == "country":
        row["value"] = value.name
    elif isinstance(field, models.URLField):
        row["kind"] = "url" if is_web_link(value) else "text"
    elif isinstance(field, models.TextField):
        row["kind"] = "long"
    elif isinstance(field, models.DateField):
        row["value"] = date_format(value, "DATE_FORMAT")
    elif isinstance(field, models.IntegerField):
        row["value"] = intcomma(value)
    return row


def application_sections(application: Application, team_members) -> list[dict]:
    fields = {f.name: f for f in Application._meta.concrete_fields}
    shown = set(NOT_SHOWN)
    sections = []
    for key in SHOWN_SECTIONS:
        present = [n for n in SECTION_FIELDS[key] if n in fields]
        shown.update(present)
        title = SECTIONS[key][0] if key in SECTIONS else key
        sections.append({"key": key, "title": title, "rows": [_row(application, fields[n]) for n in present]})
        if key == "startup":
            team = [
                {"name": m.name, "role": m.role, "profile_url": m.profile_url if is_web_link(m.profile_url) else ""}
                for m in team_members
            ]
            sections.append({"key": "team", "title": SECTIONS["team"][0], "rows": [], "team": team})
    # Anything the founders' form gained since this page was written is still shown.
    rest = [f for name, f in fields.items() if name not in shown]
    if rest:
        sections.append({"key": "other", "title": _("Other answers"), "rows": [_row(application, f) for f in rest]})
    deck = reverse("applications:deck", kwargs={"pk": application.pk}) if application.pitch_deck else None
    sections.append({"key": "deck", "title": SECTIONS["deck"][0], "rows": [], "deck_url": deck})
    return sections
