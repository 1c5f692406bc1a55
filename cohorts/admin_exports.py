"""Admin: cohort list exports (page per call, downloads, background XLSX jobs) and the
export actions offered on the applications list."""

from django.contrib import admin, messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.admin_access import OrganiserReadOnlyAdminMixin, organiser_admin_view
from accounts.roles import is_organiser
from calls.models import Call
from cohorts.exports import rows, schedule, services
from cohorts.models import ExportFormat, ExportJob, ExportJobStatus, ExportScope
from cohorts.selectors import locked_run


def _scope_and_format(params):
    scope, fmt = params.get("scope", ""), params.get("format", "")
    if scope not in ExportScope.values or fmt not in ExportFormat.values:
        raise Http404
    return scope, fmt


@require_GET
def exports_page(request, call_id):
    call = get_object_or_404(Call, pk=call_id)
    scopes = [
        {"value": value, "label": label, "count": rows.count(call, value, by=request.user)}
        for value, label in ExportScope.choices
    ]
    context = {
        **admin.site.each_context(request),
        "title": _("Cohort lists: %(call)s") % {"call": call.title},
        "call": call,
        "scopes": scopes,
        "has_locked_run": locked_run(call) is not None,
        "inline_limit": services.inline_xlsx_limit(),
        "jobs": ExportJob.objects.filter(call=call).select_related("requested_by")[:10],
        "interviews": schedule.bookings(call, by=request.user).count() if call.has_interviews else None,
        "opts": Call._meta,
    }
    return render(request, "admin/cohorts/exports.html", context)


@require_GET
def export_file(request, call_id):
    """CSV and JSON: streamed. GET only reads."""
    call = get_object_or_404(Call, pk=call_id)
    scope, fmt = _scope_and_format(request.GET)
    if fmt == ExportFormat.XLSX:
        # An XLSX may create a background job: that is a POST.
        return redirect("admin:cohorts_call_exports", call_id=call.pk)
    return services.stream(call, scope, fmt, by=request.user)


@require_GET
def interview_schedule(request, call_id):
    """The interview schedule, CSV or XLSX: small (tens of rows), so both are built now."""
    call = get_object_or_404(Call, pk=call_id)
    fmt = request.GET.get("format", "")
    if not call.has_interviews or fmt not in schedule.FORMATS:
        raise Http404
    return schedule.response(call, fmt, by=request.user)


@require_POST
def export_xlsx(request, call_id):
    call = get_object_or_404(Call, pk=call_id)
    scope, _fmt = _scope_and_format({"scope": request.POST.get("scope"), "format": ExportFormat.XLSX})
    if rows.count(call, scope, by=request.user) <= services.inline_xlsx_limit():
        return services.xlsx_response(call, scope, by=request.user)
    job = services.request_job(call, scope, by=request.user, language=request.LANGUAGE_CODE)
    messages.info(request, _("This list is large: it is being prepared, and can be downloaded here when ready."))
    return redirect("admin:cohorts_exportjob_progress", job_id=job.pk)


def _job(job_id):
    return get_object_or_404(ExportJob.objects.select_related("call"), pk=job_id)


@require_GET
def job_progress(request, job_id):
    job = _job(job_id)
    context = {
        **admin.site.each_context(request),
        "title": _("Preparing %(name)s") % {"name": services.filename(job.call, job.scope, job.format, job.created_at)},
        "job": job,
        "call": job.call,
        "opts": ExportJob._meta,
    }
    return render(request, "admin/cohorts/export_progress.html", context)


@require_GET
def job_status(request, job_id):
    job = _job(job_id)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": str(job.get_status_display()),
            "done": job.done_rows,
            "total": job.total_rows,
            "percent": job.percent,
            "download_url": reverse("admin:cohorts_exportjob_download", args=[job.pk])
            if job.status == ExportJobStatus.DONE
            else None,
            "error": job.error if job.status == ExportJobStatus.FAILED else "",
        },
        headers={"Cache-Control": "no-store"},
    )


@require_GET
def job_download(request, job_id):
    job = _job(job_id)
    if job.status != ExportJobStatus.DONE or not job.file:
        raise Http404
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=services.CONTENT_TYPES[job.format]
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@admin.register(ExportJob)
class ExportJobAdmin(OrganiserReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "call", "scope", "format", "status", "done_rows", "total_rows", "requested_by")
    list_filter = ("status", "scope", "call")
    list_select_related = ("call", "requested_by")
    readonly_fields = [f.name for f in ExportJob._meta.fields]

    def get_urls(self):
        return [
            path("call/<int:call_id>/", organiser_admin_view(exports_page), name="cohorts_call_exports"),
            path("call/<int:call_id>/file/", organiser_admin_view(export_file), name="cohorts_call_export_file"),
            path("call/<int:call_id>/xlsx/", organiser_admin_view(export_xlsx), name="cohorts_call_export_xlsx"),
            path(
                "call/<int:call_id>/interview-schedule/",
                organiser_admin_view(interview_schedule),
                name="cohorts_call_interview_schedule",
            ),
            path("<int:job_id>/progress/", organiser_admin_view(job_progress), name="cohorts_exportjob_progress"),
            path("<int:job_id>/status/", organiser_admin_view(job_status), name="cohorts_exportjob_status"),
            path("<int:job_id>/download/", organiser_admin_view(job_download), name="cohorts_exportjob_download"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:cohorts_exportjob_progress", job_id=object_id)


def _export_selected(fmt, description):
    def action(modeladmin, request, queryset):
        if not is_organiser(request.user):
            modeladmin.message_user(request, _("Only organisers may export applications."), messages.ERROR)
            return None
        calls = set(queryset.values_list("call_id", flat=True).distinct().order_by())
        if len(calls) != 1:
            modeladmin.message_user(request, _("Select applications of one call to export them."), messages.ERROR)
            return None
        call = Call.objects.get(pk=calls.pop())
        ids = list(queryset.values_list("pk", flat=True))
        if fmt == ExportFormat.XLSX:
            return services.xlsx_response(call, ExportScope.SUBMITTED, application_ids=ids, by=request.user)
        return services.stream(call, ExportScope.SUBMITTED, fmt, application_ids=ids, by=request.user)

    action.__name__ = f"export_selected_{fmt}"
    return admin.action(description=description)(action)


export_selected_csv = _export_selected(ExportFormat.CSV, gettext_lazy("Export selected applications (CSV)"))
export_selected_xlsx = _export_selected(ExportFormat.XLSX, gettext_lazy("Export selected applications (XLSX)"))
export_selected_json = _export_selected(ExportFormat.JSON, gettext_lazy("Export selected applications (JSON)"))
APPLICATION_EXPORT_ACTIONS = [export_selected_csv, export_selected_xlsx, export_selected_json]
