"""The calls' public texts, entered in English and French (django-modeltranslation).

Each field below gets a column per language (title_en, title_fr…); reading `call.title` gives the
reader's language, or the other one when it was left empty (MODELTRANSLATION_FALLBACK_LANGUAGES).
`calls.i18n.shown_language` tells which one a page actually shows, for the "(in English)" note.
"""

from modeltranslation.translator import TranslationOptions, register

from calls.models import Call, Criterion, Partner


@register(Call)
class CallTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "eligibility_notes")
    required_languages = {"en": ("title", "summary", "description")}


@register(Partner)
class PartnerTranslation(TranslationOptions):
    fields = ("role",)


@register(Criterion)
class CriterionTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en": ("name",)}
