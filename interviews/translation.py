"""The interview rubric's texts in English and French, like the review rubric's (calls.translation)."""

from modeltranslation.translator import TranslationOptions, register

from interviews.models import InterviewCriterion


@register(InterviewCriterion)
class InterviewCriterionTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en": ("name",)}
