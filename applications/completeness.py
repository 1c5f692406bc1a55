"""What a complete application needs, section by section.

Submit validation, the founder's progress display and reminder e-mails all read this, so
"what is missing" means the same everywhere.
"""

from django.utils.translation import gettext_lazy as _

from applications.models import Application

# Section key -> (title, required model fields). Team, deck and consents have extra rules below.
SECTIONS = {
    "startup": (
        _("Startup"),
        ["startup_name", "website", "country", "city", "founded_on", "legal_form", "team_size", "stage"],
    ),
    "team": (_("Team"), []),
    "product": (
        _("Product and AI"),
        ["problem", "solution", "target_users", "foundation_models", "hub_usage", "training_plans"],
    ),
    "compute": (_("Compute and data"), ["gpu_hours_per_month", "data_must_stay_in_eu", "data_kinds"]),
    "traction": (_("Traction and motivation"), ["traction", "revenue_band", "motivation", "available_in_paris"]),
    "deck": (_("Pitch deck"), ["pitch_deck"]),
    "consents": (_("Consents"), ["privacy_consent", "accuracy_declaration"]),
}


# Ticked boxes: only True counts. Elsewhere False is an answer ("No"), only None/blank is missing.
MUST_BE_TRUE = {"privacy_consent", "accuracy_declaration"}


def _is_empty(name: str, value) -> bool:
    if name in MUST_BE_TRUE:
        return value is not True
    return value is None or value == "" or value == [] or (hasattr(value, "name") and not value)


def missing_by_section(application: Application, team_count: int | None = None) -> dict[str, list[str]]:
    """{section key: [labels of missing fields]} for sections that are not complete.

    team_count may be passed when the caller already knows it (saves a query).
    """
    missing: dict[str, list[str]] = {}
    for key, (_title, fields) in SECTIONS.items():
        labels = [
            str(Application._meta.get_field(name).verbose_name)
            for name in fields
            if _is_empty(name, getattr(application, name))
        ]
        if key == "startup" and not _is_empty("country", application.country):
            eligible = application.call.eligible_countries
            if eligible and application.country.code not in {c.code for c in eligible}:
                labels.append(
                    str(_("%(country)s is not eligible for this call") % {"country": application.country.name})
                )
        other_model_chosen = "other" in (application.foundation_models or [])
        if key == "product" and other_model_chosen and not application.foundation_models_other.strip():
            labels.append(str(Application._meta.get_field("foundation_models_other").verbose_name))
        if key == "team":
            count = team_count if team_count is not None else application.team_members.count()
            if count == 0:
                labels.append(str(_("at least one founder or team member")))
        if labels:
            missing[key] = labels
    return missing


def section_title(key: str) -> str:
    return str(SECTIONS[key][0])
