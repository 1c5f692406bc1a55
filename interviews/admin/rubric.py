"""The call's interview rubric, as an inline on the call's admin page.

The call admin belongs to calls, below this app: the inline is added to it when the admin loads
(interviews/admin/__init__.py), after the review rubric, as reviews adds its own.
"""

from django.contrib import admin
from modeltranslation.admin import TranslationTabularInline

from calls.models import Call
from interviews.models import InterviewCriterion, PanelScore


class InterviewCriterionInline(TranslationTabularInline):
    """Once a panel member has scored, the rubric's weights, scales and list of criteria are fixed:
    each sheet's stored weighted score (what the final ranking combines) stays the one its scores
    give. Names and descriptions can still be corrected."""

    model = InterviewCriterion
    extra = 0
    fields = ("order", "name", "description", "weight", "scale_max")
    verbose_name_plural = InterviewCriterion._meta.verbose_name_plural

    @staticmethod
    def _scored(obj) -> bool:
        return obj is not None and obj.pk is not None and PanelScore.objects.filter(criterion__call=obj).exists()

    def get_readonly_fields(self, request, obj=None):
        return ("weight", "scale_max") if self._scored(obj) else ()

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._scored(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._scored(obj)


def install() -> None:
    call_admin = admin.site.get_model_admin(Call)
    if InterviewCriterionInline not in call_admin.inlines:
        call_admin.inlines = [*call_admin.inlines, InterviewCriterionInline]
