"""The founders' answers, described once: the form's sections in order, each answer's question and
help text, when it is needed, whether founders type it freely, and how it is shown.

The form, the completeness rule, the founder's pages (application, submit), the reviewers' page,
the personal-data export and the erasure all read this module, and `shown` is the one formatter
of an answer. Add or change an answer here and every one of them follows.

Team and pitch deck are sections without answers of this kind (team members are rows of their own,
the deck a file); applications.completeness has their rules.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from applications.models import Application, DataKind, FoundationModel, LegalForm

# How an answer is shown (and which form widget asks it).
LINE = "line"  # a short typed text
PARAGRAPHS = "paragraphs"  # a long typed text, shown with its line breaks (a textarea on the form)
LINK = "link"  # a typed web address; only http(s) addresses become links
DATE = "date"
NUMBER = "number"
CHOICE = "choice"  # one of the model field's choices
CHOICES = "choices"  # a list of choices (`choices` below)
YES_NO = "yes_no"
COUNTRY = "country"
TICK = "tick"  # a box the founder ticks (consents): only a ticked box counts as answered

FREE_TEXT = {LINE, PARAGRAPHS, LINK}


def always(application) -> bool:
    return True


def optional(application) -> bool:
    return False


def unless_not_incorporated(application) -> bool:
    """A startup that is not founded yet has no founding date."""
    return application.legal_form != LegalForm.NOT_INCORPORATED


def if_other_model_ticked(application) -> bool:
    return FoundationModel.OTHER in (application.foundation_models or [])


@dataclass(frozen=True)
class Answer:
    name: str  # the Application field
    question: str  # the form's label, also the label founders and reviewers read back
    shows_as: str
    needed: Callable[[Application], bool] = always  # must it be answered for the section to be complete?
    help_text: str = ""  # says when an answer is not needed; tests/applications/test_answers.py checks it
    choices: tuple = ()  # for CHOICES: (value, label) pairs

    @property
    def free_text(self) -> bool:
        """Typed by the founders (not picked from a list): erased with their account."""
        return self.shows_as in FREE_TEXT

    @property
    def noun(self) -> str:
        """What the answer is, in a list of what is missing ("founding date")."""
        return str(Application._meta.get_field(self.name).verbose_name)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str
    answers: tuple[Answer, ...] = ()
    for_reviewers: bool = True  # shown on the reviewers' page (the consents are not)


SECTIONS: tuple[Section, ...] = (
    Section(
        "startup",
        _("Startup"),
        _("The company behind the application."),
        (
            Answer("startup_name", _("Startup name"), LINE),
            Answer("website", _("Website"), LINK),
            Answer("country", _("Country where the startup is based"), COUNTRY),
            Answer("city", _("City"), LINE),
            Answer(
                "founded_on",
                _("Founding date"),
                DATE,
                needed=unless_not_incorporated,
                help_text=_("Leave empty if the company is not founded yet, and choose “Not incorporated yet” below."),
            ),
            Answer("legal_form", _("Legal form"), CHOICE),
            Answer("team_size", _("Team size (people)"), NUMBER),
            Answer("stage", _("Stage"), CHOICE),
            Answer(
                "funding_raised_eur",
                _("Funding raised so far (EUR)"),
                NUMBER,
                needed=optional,
                help_text=_("Grants, angels and venture capital together. Optional: leave empty if you raised none."),
            ),
        ),
    ),
    Section("team", _("Team"), _("Founders and key people. Reviewers look at who will build this in six months.")),
    Section(
        "product",
        _("Product and AI"),
        _("What you build, for whom, and how open-source foundation models are part of it."),
        (
            Answer(
                "problem", _("What problem do you solve?"), PARAGRAPHS, help_text=_("The pain point, and for whom.")
            ),
            Answer(
                "solution",
                _("What is your solution?"),
                PARAGRAPHS,
                help_text=_("What you build and why it works better than what exists."),
            ),
            Answer(
                "target_users",
                _("Who are your users?"),
                PARAGRAPHS,
                help_text=_("The people or organisations who use or will use the product."),
            ),
            Answer(
                "foundation_models",
                _("Open-source foundation models you build on"),
                CHOICES,
                choices=tuple(FoundationModel.choices),
            ),
            Answer(
                "foundation_models_other",
                _("Other models"),
                LINE,
                needed=if_other_model_ticked,
                help_text=_("Which other models, if you ticked Other; leave empty otherwise."),
            ),
            Answer(
                "hub_usage",
                _("How do you use the Hugging Face Hub?"),
                PARAGRAPHS,
                help_text=_("Models, datasets or Spaces you use or publish."),
            ),
            Answer(
                "training_plans",
                _("What would you fine-tune or train during the programme?"),
                PARAGRAPHS,
                help_text=_("The models, data and goals of the compute you ask for."),
            ),
        ),
    ),
    Section(
        "compute",
        _("Compute and data"),
        _("What you would run on the programme's H100 GPUs, and the data involved."),
        (
            Answer(
                "gpu_hours_per_month",
                _("Estimated H100 GPU-hours per month"),
                NUMBER,
                help_text=_("One GPU running for one hour is one GPU-hour."),
            ),
            Answer("data_must_stay_in_eu", _("Must your data stay in the European Union?"), YES_NO),
            Answer("data_kinds", _("Kinds of data you handle"), CHOICES, choices=tuple(DataKind.choices)),
        ),
    ),
    Section(
        "traction",
        _("Traction and motivation"),
        _("Where you are today and why this programme, now."),
        (
            Answer(
                "traction",
                _("Users and customers so far"),
                PARAGRAPHS,
                help_text=_("Active users, pilots, paying customers, letters of intent..."),
            ),
            Answer("revenue_band", _("Revenue"), CHOICE),
            Answer("motivation", _("Why this programme?"), PARAGRAPHS),
            Answer("available_in_paris", _("Can your team be at STATION F, Paris, for the programme dates?"), YES_NO),
        ),
    ),
    Section("deck", _("Pitch deck"), _("The deck reviewers read first.")),
    Section(
        "consents",
        _("Consents"),
        _("Both are needed to submit."),
        (
            Answer(
                "privacy_consent",
                _("I have read the privacy notice and agree that my application is processed as it describes."),
                TICK,
            ),
            Answer("accuracy_declaration", _("I declare that the information in this application is accurate."), TICK),
        ),
        for_reviewers=False,
    ),
)
SECTION_KEYS = tuple(section.key for section in SECTIONS)
ANSWERS = {answer.name: answer for section in SECTIONS for answer in section.answers}
# Every answer in form order; internal columns (version, the deck's storage name...) are not answers.
ANSWER_FIELDS = tuple(ANSWERS)


def section(key: str) -> Section:
    return next(s for s in SECTIONS if s.key == key)


def is_unanswered(answer: Answer, value) -> bool:
    if answer.shows_as == TICK:
        return value is not True
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == []  # False is an answer ("No"), and so is 0


def is_missing(answer: Answer, application) -> bool:
    return answer.needed(application) and is_unanswered(answer, getattr(application, answer.name))


# The formatter.

EMPTY = "—"
_NOT_GIVEN = object()


def shown(answer: Answer, value) -> dict:
    """One answer as people read it: {"label", "kind", "text"}.

    kind is "empty" (not answered), "paragraphs" (keep the line breaks), "link" (a typed address:
    a link only if it is http(s), the template's `external_url` decides) or "text"; text is already
    in the reader's language. Templates show it with applications/includes/answer_value.html.
    """
    row = {"name": answer.name, "label": str(answer.question), "kind": "text", "text": ""}
    if value is None or value == "" or value == []:
        return {**row, "kind": "empty", "text": EMPTY}
    kind = answer.shows_as
    if kind == CHOICES:
        labels = dict(answer.choices)
        text = ", ".join(str(labels.get(v, v)) for v in value)
    elif kind in (YES_NO, TICK):
        text = gettext("Yes") if value else gettext("No")
    elif kind == COUNTRY:
        text = Country(str(value)).name or str(value)
    elif kind == DATE:
        text = date_format(value, "DATE_FORMAT")
    elif kind == NUMBER:
        text = number_format(value, force_grouping=True)
    elif kind == CHOICE:
        text = str(dict(Application._meta.get_field(answer.name).flatchoices).get(value, value))
    else:
        text = str(value)
    if kind in (LINK, PARAGRAPHS):
        return {**row, "kind": kind, "text": text}
    return {**row, "text": text}


def shown_value(application, name: str, value=_NOT_GIVEN) -> dict:
    """The answer to one field (or a candidate `value` for it) through `shown`."""
    return shown(ANSWERS[name], getattr(application, name) if value is _NOT_GIVEN else value)


def deck_summary(application) -> dict | None:
    if not application.pitch_deck:
        return None
    return {
        "name": application.pitch_deck_name or gettext("pitch-deck.pdf"),
        "size": filesizeformat(application.pitch_deck_size) if application.pitch_deck_size else "",
        "uploaded_at": application.pitch_deck_uploaded_at,
    }


def read_back(application, team_members, *, for_reviewers: bool = False) -> list[dict]:
    """The whole application as it is read: [{key, title, rows, team?, deck?}] in form order.

    Founders (their application page, the submit page) read every section; reviewers the sections
    meant for them. Team sections carry the members, the deck section the file's summary.
    """
    sections = []
    for part in SECTIONS:
        if for_reviewers and not part.for_reviewers:
            continue
        rows = [shown_value(application, answer.name) for answer in part.answers]
        entry = {"key": part.key, "title": str(part.title), "rows": rows}
        if part.key == "team":
            entry["team"] = list(team_members)
        if part.key == "deck":
            entry["deck"] = deck_summary(application)
        sections.append(entry)
    return sections
