"""The call's interview rubric, as an inline on the call's admin page.

The call admin belongs to calls, below this app: the inline is added to it when the admin loads
(interviews/admin/__init__.py), after the review rubric, as reviews adds its own.
"""

from django.contrib import admin
from modeltranslation.admin import TranslationTabularInline

from calls.models import Call
from interviews.models import InterviewCriterion


class InterviewCriterionInline(TranslationTabularInline):
    """A criterion scored by a panel keeps its scores (deleting it is refused: PanelScore protects
    it); each score keeps a copy of the scale it was given on."""

    model = InterviewCriterion
    extra = 0
    fields = ("order", "name", "description", "weight", "scale_max")
    verbose_name_plural = InterviewCriterion._meta.verbose_name_plural


def install() -> None:
    call_admin = admin.site.get_model_admin(Call)
    if InterviewCriterionInline not in call_admin.inlines:
        call_admin.inlines = [*call_admin.inlines, InterviewCriterionInline]
