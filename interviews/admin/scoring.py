""" "My interviews": a panel member's interviews, and the page where they score one.

A panel member lists and opens only the interviews booked on the slots they sit on, minus the
startups they have a conflict with (any other id is a 404); organisers list every booked interview
and read every submitted sheet. The rules live in interviews.scoring and interviews.panel.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import is_organiser
from applications.answers import read_back
from calls.models import Call
from calls.templatetags.portal import deadline
from interviews import panel, scoring
from interviews.models import PanelInterview, SheetStatus
from interviews.scoring_forms import OutcomeForm, PanelSheetForm
from interviews.selectors import scoring_closes_at
from reviews.forms import ConflictReasonForm

STATE_LABELS = {
    panel.WorkState.TODO: gettext_lazy("To do"),
    panel.WorkState.DRAFT: gettext_lazy("Draft"),
    panel.WorkState.SUBMITTED: gettext_lazy("Submitted"),
}
TEMPLATE = "admin/interviews/panelinterview/score.html"


class InterviewCallFilter(admin.SimpleListFilter):
    title = gettext_lazy("call")
    parameter_name = "call"

    def lookups(self, request, model_admin):
        calls = Call.objects.filter(interview_size__gt=0).order_by("-closes_at").values_list("pk", "title")
        return [(str(pk), title) for pk, title in calls]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(call=self.value())
        return queryset


@admin.register(PanelInterview)
class PanelInterviewAdmin(admin.ModelAdmin):
    list_display = ("startup", "slot_start", "place", "state_badge", "outcome_label", "score")
    list_display_links = None
    list_filter = (InterviewCallFilter,)
    search_fields = ("application__startup_name",)
    show_full_result_count = False
    list_per_page = 50
    actions = None

    class Media:
        css = {"all": ("reviews/admin.css",)}

    # A panel member is any staff member on a slot's panel: no model permission to grant.

    def _allowed(self, request) -> bool:
        return is_organiser(request.user) or panel.sits_on_a_panel(request.user)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return panel.visible_interviews(request.user).order_by("booking__slot__starts_at", "pk")

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": _("My interviews"), **(extra_context or {})})

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path("", view(self.changelist_view), name="{}_{}_changelist".format(*info)),
            path("<int:pk>/change/", view(self.score_view), name="{}_{}_change".format(*info)),
            path("<int:pk>/outcome/", view(self.outcome_view), name="{}_{}_outcome".format(*info)),
            path("<int:pk>/conflict/", view(self.conflict_view), name="{}_{}_conflict".format(*info)),
        ]

    # List columns

    @admin.display(description=gettext_lazy("startup"), ordering="application__startup_name")
    def startup(self, obj):
        url = reverse("admin:interviews_panelinterview_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.application.startup_name or obj.application)

    @admin.display(description=gettext_lazy("interview"), ordering="booking__slot__starts_at")
    def slot_start(self, obj):
        return deadline(obj.booking.slot.starts_at, obj.call.time_zone)

    @admin.display(description=gettext_lazy("place"))
    def place(self, obj):
        slot = obj.booking.slot
        return slot.room or slot.online_url

    @admin.display(description=gettext_lazy("my sheet"))
    def state_badge(self, obj):
        return format_html(
            '<span class="review-state review-state-{}">{}</span>', obj.sheet_status, STATE_LABELS[obj.sheet_status]
        )

    @admin.display(description=gettext_lazy("outcome"), ordering="outcome")
    def outcome_label(self, obj):
        return obj.get_outcome_display()

    @admin.display(description=gettext_lazy("my weighted score"))
    def score(self, obj):
        return "—" if obj.my_score is None else f"{obj.my_score:.2f}"

    # The scoring page

    def _context(self, request, invitation, **extra):
        application = invitation.application
        call = invitation.call
        on_panel = scoring.may_score(request.user, invitation)
        sheet = panel.own_sheet(invitation, request.user) if on_panel else None
        criteria = list(call.interview_criteria.order_by("order", "id"))
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "has_view_permission": True,
            "title": application.startup_name or str(application),
            "invitation": invitation,
            "application": application,
            "call": call,
            "slot": invitation.booking.slot,
            "panel_members": panel.panel_members(invitation),
            "on_panel": on_panel,
            "sheet": sheet,
            "submitted": sheet is not None and sheet.status == SheetStatus.SUBMITTED,
            "locked": scoring.scoring_locked(invitation),
            "closes_at": scoring_closes_at(call),
            "criteria": criteria,
            "own_scores": {s.criterion_id: s.value for s in sheet.scores.all()} if sheet else {},
            "others": panel.other_sheets(invitation, request.user, sheet, on_panel=on_panel),
            "may_record_outcome": scoring.may_record_outcome(request.user, invitation),
            "sections": read_back(application, application.team_members.all(), for_reviewers=True),
            **extra,
        }

    def score_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        invitation = panel.interview_for(request.user, pk)
        here = reverse("admin:interviews_panelinterview_change", args=[invitation.pk])
        context = self._context(request, invitation)
        criteria = context["criteria"]
        if request.method == "POST":
            if not context["on_panel"]:
                raise PermissionDenied
            if context["locked"]:
                messages.error(request, _("Interview scoring has closed: score sheets can no longer be changed."))
                return redirect(here)
            form = PanelSheetForm(request.POST, criteria=criteria)
            submit = "_submit" in request.POST
            if form.is_valid():
                try:
                    scoring.save_sheet(invitation, by=request.user, submit=submit, **form.service_arguments())
                except ValidationError as error:
                    form.add_service_errors(error)
                except scoring.SheetLocked as error:
                    messages.error(request, str(error))
                    return redirect(here)
                else:
                    if context["submitted"]:
                        messages.success(request, _("Your changes to the submitted sheet are saved."))
                    elif submit:
                        messages.success(
                            request, _("Scores submitted. You can still change them until scoring closes.")
                        )
                    else:
                        messages.success(request, _("Draft saved. It is not submitted yet."))
                    return redirect(here)
        else:
            form = PanelSheetForm(criteria=criteria, sheet=context["sheet"])
        outcome_form = OutcomeForm(initial={"outcome": invitation.outcome, "reason": invitation.outcome_reason})
        context.update({"form": form, "outcome_form": outcome_form})
        return TemplateResponse(request, TEMPLATE, context)

    def outcome_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        invitation = panel.interview_for(request.user, pk)
        here = reverse("admin:interviews_panelinterview_change", args=[invitation.pk])
        if request.method != "POST":
            return redirect(here)
        form = OutcomeForm(request.POST)
        if form.is_valid():
            try:
                scoring.record_outcome(
                    invitation,
                    outcome=form.cleaned_data["outcome"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            except scoring.SheetLocked as error:
                messages.error(request, str(error))
                return redirect(here)
            else:
                messages.success(request, _("The interview's outcome is recorded."))
                return redirect(here)
        context = self._context(request, invitation)
        context.update({"form": PanelSheetForm(criteria=context["criteria"], sheet=context["sheet"])})
        context["outcome_form"] = form
        return TemplateResponse(request, TEMPLATE, context)

    def conflict_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        invitation = panel.interview_for(request.user, pk)
        if not scoring.may_score(request.user, invitation):
            raise PermissionDenied
        if request.method == "POST":
            form = ConflictReasonForm(request.POST)
            if form.is_valid():
                try:
                    scoring.declare_panel_conflict(invitation, by=request.user, reason=form.cleaned_data["reason"])
                except ValidationError as error:
                    form.add_error("reason", error.messages)
                else:
                    messages.success(
                        request,
                        _("Thank you. You will not score %(startup)s; the organisers can see why.")
                        % {"startup": invitation.application.startup_name},
                    )
                    return redirect("admin:interviews_panelinterview_changelist")
        else:
            form = ConflictReasonForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "has_view_permission": True,
            "title": _("Declare a conflict of interest"),
            "invitation": invitation,
            "application": invitation.application,
            "form": form,
        }
        return TemplateResponse(request, "admin/interviews/panelinterview/conflict.html", context)
