"""What a complete application needs, section by section.

Submit validation, the founder's progress display and reminder e-mails all read this, so
"what is missing" means the same everywhere. Which answers each section needs, and when, is said
once in applications.answers; the team, the deck and the call's eligible countries add their rules here.
"""

from django.utils.translation import gettext as _

from applications.answers import SECTIONS, is_missing, section
from applications.models import Application


def missing_by_section(application: Application, team_count: int | None = None) -> dict[str, list[str]]:
    """{section key: [what is missing]} for sections that are not complete.

    team_count may be passed when the caller already knows it (saves a query).
    """
    missing: dict[str, list[str]] = {}
    for part in SECTIONS:
        labels = [answer.noun for answer in part.answers if is_missing(answer, application)]
        if part.key == "startup" and application.country:
            eligible = application.call.eligible_countries
            if eligible and application.country.code not in {c.code for c in eligible}:
                labels.append(_("%(country)s is not eligible for this call") % {"country": application.country.name})
        if part.key == "team":
            count = team_count if team_count is not None else application.team_members.count()
            if count == 0:
                labels.append(_("at least one founder or team member"))
        if part.key == "deck" and not application.pitch_deck:
            labels.append(str(Application._meta.get_field("pitch_deck").verbose_name))
        if labels:
            missing[part.key] = labels
    return missing


def section_title(key: str) -> str:
    return str(section(key).title)
