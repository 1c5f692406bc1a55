"""Admin of the shortlist: snapshots side by side, pins and exclusions, run again, lock."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.admin_access import OrganiserAccessMixin, OrganiserReadOnlyAdminMixin
from accounts.roles import is_organiser
from applications.templatetags.application_tags import deadline_text
from calls.admin_cockpit_link import CockpitLinkMixin
from calls.models import ShortlistMethod
from cohorts import selectors
from cohorts.models import RunTrigger, Section, ShortlistOverride, ShortlistRun, Stage
from cohorts.shortlist import final_admin
from cohorts.shortlist.services import (
    MissingReviews,
    ShortlistError,
    check_override,
    lock_check,
    lock_run,
    run_shortlist,
)

PAGE_SIZE = 50
PROVISIONAL_MESSAGE = _(
    "Provisional shortlist: the call is still open for applications. It was computed for a look only: "
    "no e-mail was sent and it cannot be locked."
)


# Shortlists are for organisers: reviewers (staff too) never see rankings.
@admin.register(ShortlistRun)
class ShortlistRunAdmin(CockpitLinkMixin, OrganiserReadOnlyAdminMixin, admin.ModelAdmin):
    cockpit_call_parameter = "call__id__exact"
    list_display = (
        "__str__", "call", "stage", "method", "trigger", "created_by", "created_at", "locked_at", "stale_since",
    )  # fmt: skip
    list_filter = ("call", "stage", "method", "trigger")
    list_select_related = ("call", "created_by")
    date_hierarchy = "created_at"

    def get_urls(self):
        return [
            path("<int:pk>/lock/", self.admin_site.admin_view(self.lock_view), name="cohorts_shortlistrun_lock"),
            path("<int:pk>/rerun/", self.admin_site.admin_view(self.rerun_view), name="cohorts_shortlistrun_rerun"),
            path("<int:pk>/final/", self.admin_site.admin_view(self.final_view), name="cohorts_shortlistrun_final"),
            *super().get_urls(),
        ]

    def _run_or_404(self, request, pk):
        if not is_organiser(request.user):
            raise PermissionDenied
        return get_object_or_404(ShortlistRun.objects.select_related("call", "created_by", "locked_by"), pk=pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not is_organiser(request.user):
            raise PermissionDenied
        if not str(object_id).isdigit():
            raise Http404
        run = self._run_or_404(request, int(object_id))
        if run.stage == Stage.FINAL:
            return final_admin.snapshot_view(self, request, run)
        call = run.call
        latest = selectors.latest_run(call)
        locked = selectors.locked_run(call)
        overrides = {
            o.application_id: o
            for o in ShortlistOverride.objects.filter(application__call=call).only("pk", "application_id", "kind")
        }
        ranked = Paginator(selectors.entries(run, Section.RANKED), PAGE_SIZE).get_page(request.GET.get("page"))
        not_enough = Paginator(selectors.entries(run, Section.NOT_ENOUGH_REVIEWS), PAGE_SIZE).get_page(
            request.GET.get("np")
        )
        sections = [
            (Section.SHORTLIST, _("Shortlist"), list(selectors.entries(run, Section.SHORTLIST)), None),
            (Section.WAITLIST, _("Waitlist"), list(selectors.entries(run, Section.WAITLIST)), None),
            (Section.RANKED, _("Ranked below"), ranked, "page"),
            (Section.NOT_ENOUGH_REVIEWS, _("Not enough reviews"), not_enough, "np"),
            (Section.EXCLUDED, _("Excluded"), list(selectors.entries(run, Section.EXCLUDED)), None),
        ]
        # Reasons as they were when the run was computed; the current pin or exclusion to edit it.
        reasons = {**run.parameters.get("pinned", {}), **run.parameters.get("excluded", {})}
        for _key, _heading, rows, page_param in sections:
            if page_param:
                rows.object_list = list(rows.object_list)
            for entry in rows:
                entry.override = overrides.get(entry.application_id)
                entry.reason = reasons.get(str(entry.application_id), "")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Shortlist of %(call)s") % {"call": call},
            "run": run,
            "call": call,
            "counts": selectors.section_counts(run),
            "sections": sections,
            "methods": ShortlistMethod.choices,
            "overrides": overrides,
            "is_latest": latest is not None and latest.pk == run.pk,
            "latest": latest,
            "locked": locked,
            "can_act": locked is None,
            "final_run": selectors.latest_run(call, Stage.FINAL) if call.has_interviews else None,
        }
        return TemplateResponse(request, "admin/cohorts/shortlistrun/snapshot.html", context)

    def rerun_view(self, request, pk):
        run = self._run_or_404(request, pk)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:cohorts_shortlistrun_change", args=[run.pk]))
        if run.stage == Stage.FINAL:
            return final_admin.rerun(self, request, run)
        try:
            new = run_shortlist(run.call, trigger=RunTrigger.ADMIN, by=request.user, method=request.POST.get("method"))
        except ShortlistError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:cohorts_shortlistrun_change", args=[run.pk]))
        if new.provisional:
            self.message_user(request, PROVISIONAL_MESSAGE, messages.WARNING)
        else:
            self.message_user(request, _("The shortlist was computed again."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:cohorts_shortlistrun_change", args=[new.pk]))

    def final_view(self, request, pk):
        """POST from a locked review run of a call with interviews: compute the final ranking."""
        run = self._run_or_404(request, pk)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:cohorts_shortlistrun_change", args=[run.pk]))
        return final_admin.rerun(self, request, run)

    def lock_view(self, request, pk):
        """GET: what locking does, what is missing and whether it needs the "lock anyway" tick.
        POST: lock (a second POST finds the shortlist locked and changes nothing)."""
        run = self._run_or_404(request, pk)
        if run.stage == Stage.FINAL:
            return final_admin.lock_view(self, request, run)
        back = HttpResponseRedirect(reverse("admin:cohorts_shortlistrun_change", args=[run.pk]))
        missing_tick = False
        if request.method == "POST":
            try:
                lock_run(run, by=request.user, acknowledge_missing_reviews=request.POST.get("lock_anyway") == "yes")
            except MissingReviews as error:
                self.message_user(request, str(error), messages.ERROR)
                missing_tick = True
            except ShortlistError as error:
                self.message_user(request, str(error), messages.ERROR)
                return back
            else:
                self.message_user(
                    request,
                    _(
                        "The shortlist is locked and the applications' statuses are set. "
                        "Founders still see “Under review”."
                    ),
                    messages.SUCCESS,
                )
                return back
        if selectors.locked_run(run.call) is not None:
            return back
        counts = selectors.section_counts(run)
        check = lock_check(run)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Lock this shortlist?"),
            "run": run,
            "call": run.call,
            "check": check,
            "missing_tick": missing_tick,
            "review_deadline": deadline_text(run.call.review_deadline, run.call.time_zone),
            "shortlist": list(selectors.entries(run, Section.SHORTLIST)),
            "waitlist": list(selectors.entries(run, Section.WAITLIST)),
            "counts": counts,
            "rejected": counts[Section.RANKED] + counts[Section.NOT_ENOUGH_REVIEWS] + counts[Section.EXCLUDED],
        }
        # Shown again with the message when the tick was missing, as the admin shows a form with errors.
        return TemplateResponse(request, "admin/cohorts/shortlistrun/lock_confirm.html", context)


class OverrideForm(forms.ModelForm):
    class Meta:
        model = ShortlistOverride
        fields = ("application", "kind", "reason")

    def clean(self):
        data = super().clean()
        application = data.get("application")
        if application is not None and data.get("kind") and data.get("reason"):
            try:
                check_override(application, kind=data["kind"], reason=data["reason"])
            except ShortlistError as error:
                raise forms.ValidationError(str(error)) from error
        return data


@admin.register(ShortlistOverride)
class ShortlistOverrideAdmin(OrganiserAccessMixin, admin.ModelAdmin):
    form = OverrideForm
    list_display = ("application", "call", "kind", "reason", "created_by", "created_at")
    list_filter = ("kind", "application__call")
    list_select_related = ("application", "application__call", "created_by")
    search_fields = ("application__startup_name", "reason")
    autocomplete_fields = ("application",)

    def has_add_permission(self, request):
        return is_organiser(request.user)

    def has_change_permission(self, request, obj=None):
        return is_organiser(request.user) and (obj is None or selectors.locked_run(obj.application.call) is None)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    @admin.display(description=_("call"), ordering="application__call")
    def call(self, obj):
        return obj.application.call

    def get_changeform_initial_data(self, request):
        # The snapshot links here with ?application=<id>&kind=pin|exclude.
        return {key: request.GET[key] for key in ("application", "kind") if key in request.GET}

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.action(description=_("Run the shortlist"))
def run_shortlist_action(modeladmin, request, queryset):
    """Admin action on calls: compute a new snapshot for each selected call."""
    if not is_organiser(request.user):
        modeladmin.message_user(request, _("Only organisers may run the shortlist."), messages.ERROR)
        return None
    runs = []
    for call in queryset:
        try:
            runs.append(run_shortlist(call, trigger=RunTrigger.ADMIN, by=request.user))
        except ShortlistError as error:
            modeladmin.message_user(request, f"{call}: {error}", messages.ERROR)
    if any(run.provisional for run in runs):
        modeladmin.message_user(request, PROVISIONAL_MESSAGE, messages.WARNING)
    if len(runs) == 1:
        return HttpResponseRedirect(reverse("admin:cohorts_shortlistrun_change", args=[runs[0].pk]))
    if runs:
        modeladmin.message_user(
            request,
            ngettext("%(n)d shortlist computed.", "%(n)d shortlists computed.", len(runs)) % {"n": len(runs)},
            messages.SUCCESS,
        )
    return None
