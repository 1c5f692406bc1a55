"""Which language a call's text is shown in, for the "(in English)" note beside a fallback."""

from django.conf import settings
from django.utils.translation import get_language, gettext
from modeltranslation.utils import build_localized_fieldname, resolution_order

LANGUAGE_NOTES = {
    # Each note is written in the reader's language: "(in English)" for a French text missing.
    "en": lambda: gettext("(in English)"),
    "fr": lambda: gettext("(in French)"),
}


def shown_language(obj, field: str) -> str | None:
    """The language of the text `obj.<field>` gives the current reader, or None when it is empty."""
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    for language in resolution_order(get_language() or settings.LANGUAGE_CODE, fallbacks):
        if getattr(obj, build_localized_fieldname(field, language), None):
            return language
    return None


def fallback_language(obj, field: str) -> str | None:
    """The other language the text is shown in when the reader's is missing; None when it is theirs."""
    shown = shown_language(obj, field)
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return shown if shown and shown != current else None


def fallback_note(obj, field: str) -> str:
    """ "(in English)" when the text is shown in the other language, else ""."""
    language = fallback_language(obj, field)
    return LANGUAGE_NOTES[language]() if language else ""


def text_columns(field: str, through: str = "") -> tuple[str, ...]:
    """The columns holding a translated text, for `.only()` on a related call:
    text_columns("title", "call__") -> ("call__title_en", "call__title_fr")."""
    return tuple(through + build_localized_fieldname(field, language) for language, _name in settings.LANGUAGES)
