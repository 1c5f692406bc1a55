"""The call's rubric in the admin, once reviews exist.

The call admin belongs to calls; reviews swaps its criteria inline for this one when the admin
loads (reviews/admin/__init__.py). The form refuses what reviews.services.rubric refuses (a scale
change, a deletion or an addition once scores exist, any change once the shortlist is locked), and
a change of weights under scored reviews asks the organiser to confirm, saying how many reviews
will be rescored, before change_weights rescores them in the admin's transaction.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.admin_access import OrganiserReadOnlyAdminMixin
from calls.admin import CriterionInline
from calls.models import Call
from reviews.models import RubricChange
from reviews.services import rubric

CONFIRM_FIELD = "confirm_rubric_change"


class RubricFormSet(BaseInlineFormSet):
    request = None  # set by RubricInline.get_formset

    def _edits(self):
        """(scale changes, deleted criteria, number added, weight changes) the forms ask for."""
        scales, deleted, added, weights = {}, [], 0, {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data"):
                continue
            instance = form.instance
            if instance.pk is None:
                if form.has_changed() and not self._should_delete_form(form):
                    added += 1
                continue
            if self._should_delete_form(form):
                deleted.append(instance)
            elif form.has_changed():
                if "scale_max" in form.changed_data:
                    scales[instance.pk] = form.cleaned_data.get("scale_max")
                if "weight" in form.changed_data and form.cleaned_data.get("weight") is not None:
                    weights[instance.pk] = form.cleaned_data["weight"]
        return scales, deleted, added, weights

    def clean(self):
        super().clean()
        call = self.instance
        if any(self.errors) or call.pk is None:
            return
        scales, deleted, added, weights = self._edits()
        try:
            rubric.check_rubric_edit(call, scales=scales, deleted=deleted, added=added)
        except rubric.RubricFrozen as error:
            raise ValidationError(error.messages) from error
        if not weights or not rubric.scored(call):
            return
        try:
            rubric.check_weights_may_change(call)
        except rubric.RubricFrozen as error:
            raise ValidationError(error.messages) from error
        if not self.data.get(CONFIRM_FIELD):
            raise ValidationError(
                [
                    rubric.rescore_message(rubric.reviews_to_rescore(call)),
                    _("To go ahead, tick “Rescore the reviews with the new weights” above and save again."),
                ],
                code="confirm_rubric_change",
            )

    def save(self, commit=True):
        weights = self._edits()[3]
        if weights and commit and self.instance.pk is not None:
            change = rubric.change_weights(self.instance, by=getattr(self.request, "user", None), weights=weights)
            if change is not None and self.request is not None:
                messages.success(
                    self.request,
                    ngettext(
                        "The weights changed: %(n)d review was rescored and the shortlist runs are stale.",
                        "The weights changed: %(n)d reviews were rescored and the shortlist runs are stale.",
                        change.reviews_changed,
                    )
                    % {"n": change.reviews_changed},
                )
        return super().save(commit)


class RubricInline(CriterionInline):
    formset = RubricFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # The admin's own check of a deletion lists every protected score (a million rows on a
        # large call); RubricFormSet.clean refuses that deletion in one query instead.
        form = type(formset.form.__name__, (formset.form,), {"hand_clean_DELETE": lambda self: None})
        return type(formset.__name__, (formset,), {"form": form, "request": request})


def install() -> None:
    """Put RubricInline in place of the calls app's criteria inline."""
    call_admin = admin.site.get_model_admin(Call)
    call_admin.inlines = [RubricInline if inline is CriterionInline else inline for inline in call_admin.inlines]


@admin.register(RubricChange)
class RubricChangeAdmin(OrganiserReadOnlyAdminMixin, admin.ModelAdmin):
    """Who changed which weights when, and how many reviews were rescored: organisers only."""

    list_display = ("changed_at", "call", "changed_by", "weights_text", "reviews_changed")
    list_filter = ("call",)
    list_select_related = ("call", "changed_by")
    date_hierarchy = "changed_at"
    fields = ("call", "changed_by", "changed_at", "weights_text", "reviews_changed")

    @admin.display(description=gettext_lazy("weights (before → after)"))
    def weights_text(self, obj):
        return "; ".join(
            f"{row['name']}: {row['before']} → {row['after']}"
            if row["before"] != row["after"]
            else f"{row['name']}: {row['after']}"
            for row in obj.weights
        )
