"""Admin actions: assign reviewers (by hand or automatically) and export reviews.

The call and application admins belong to other apps; reviews adds these actions to them when
the admin loads (see reviews/admin/__init__.py) so that those files need no change.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import is_organiser
from reviews import exports, services
from reviews.forms import AssignReviewersForm


def may_assign(user) -> bool:
    return is_organiser(user) and user.has_perm("reviews.add_assignment")


def may_export(user) -> bool:
    return is_organiser(user) and user.has_perm("reviews.view_review")


def _message_lines(modeladmin, request, lines, level=messages.INFO):
    modeladmin.message_user(request, format_html_join("", "{}<br>", ((line,) for line in lines)), level)


def export_response(call, fmt: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(exports.export(call, fmt), content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(call, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@admin.action(description=gettext_lazy("Assign reviewers to the selected applications…"))
def assign_reviewers_by_hand(modeladmin, request, queryset):
    if not may_assign(request.user):
        raise PermissionDenied
    if "apply" in request.POST:
        form = AssignReviewersForm(request.POST)
        if form.is_valid():
            report = services.assign_manually(queryset, form.cleaned_data["reviewers"], by=request.user)
            level = messages.SUCCESS if report.created and not report.conflicted else messages.WARNING
            _message_lines(modeladmin, request, report.lines(), level)
            return None
    else:
        form = AssignReviewersForm()
    applications = list(queryset.select_related("call")[:100])
    calls = {application.call for application in applications}
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Assign reviewers"),
        "opts": modeladmin.model._meta,
        "form": form,
        "applications": applications,
        # Applications of one call lead back to its cockpit.
        "call": calls.pop() if len(calls) == 1 else None,
        "count": queryset.count(),
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
        "action": "assign_reviewers_by_hand",
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/reviews/assign_reviewers.html", context)


@admin.action(description=gettext_lazy("Assign reviewers automatically (fills gaps only)"))
def assign_reviewers_automatically(modeladmin, request, queryset):
    if not may_assign(request.user):
        raise PermissionDenied
    for call in queryset:
        report = services.assign_reviewers(call, by=request.user)
        level = messages.WARNING if report.short else messages.SUCCESS
        _message_lines(modeladmin, request, [str(call), *report.lines(limit=20)], level)


def _export(modeladmin, request, queryset, fmt: str):
    if not may_export(request.user):
        raise PermissionDenied
    calls = list(queryset[:2])
    if len(calls) != 1:
        modeladmin.message_user(request, _("Select exactly one call to export its reviews."), messages.WARNING)
        return None
    return export_response(calls[0], fmt)


@admin.action(description=gettext_lazy("Export submitted reviews (CSV)"))
def export_reviews_csv(modeladmin, request, queryset):
    return _export(modeladmin, request, queryset, "csv")


@admin.action(description=gettext_lazy("Export submitted reviews (JSON)"))
def export_reviews_json(modeladmin, request, queryset):
    return _export(modeladmin, request, queryset, "json")
