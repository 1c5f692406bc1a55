"""Build cohort lists: streamed responses for CSV and JSON, XLSX inline or through a job."""

import tempfile
import zoneinfo

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from cohorts.exports import rows, writers
from cohorts.models import ExportFormat, ExportJob, ExportJobStatus, ExportScope

CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.JSON: "application/json; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def filename(call, scope: str, fmt: str, now=None) -> str:
    """<call slug>-<scope>-<date in the call's zone>.<format>"""
    now = timezone.localtime(now or timezone.now(), zoneinfo.ZoneInfo(call.time_zone))
    return f"{call.slug}-{scope}-{now:%Y-%m-%d}.{fmt}"


def inline_xlsx_limit() -> int:
    return getattr(settings, "COHORT_EXPORT_XLSX_INLINE_MAX_ROWS", 2000)


def _attachment(response, name: str):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def stream(call, scope: str, fmt: str, application_ids=None, *, by) -> StreamingHttpResponse:
    """CSV or JSON as a stream. Labels use the language active now (the organiser's)."""
    language = translation.get_language()
    name = filename(call, scope if application_ids is None else "selection", fmt)

    def chunks():
        # The generator runs after the view returned: keep the organiser's language for it.
        with translation.override(language):
            if fmt == ExportFormat.CSV:
                yield from writers.csv_chunks(rows.headers(call), rows.cell_rows(call, scope, application_ids, by=by))
            else:
                meta = {
                    "call": call.slug,
                    "scope": scope if application_ids is None else "selection",
                    "generated_at": timezone.now().isoformat(),
                    "time_zone": call.time_zone,
                    "columns": rows.KEYS,
                }
                yield from writers.json_chunks(meta, rows.json_rows(call, scope, application_ids, by=by))

    response = StreamingHttpResponse(chunks(), content_type=CONTENT_TYPES[fmt])
    return _attachment(response, name)


# Sheet names: what the list holds, short enough for Excel's 31 characters in both languages.
SHEET_LABELS = {
    ExportScope.COHORT: gettext_lazy("Cohort"),
    ExportScope.SHORTLIST: gettext_lazy("Shortlist and waitlist"),
    ExportScope.SUBMITTED: gettext_lazy("Submitted applications"),
}


def write_xlsx_file(target, call, scope: str, application_ids=None, progress=None, *, by) -> int:
    label = gettext("Selection") if application_ids is not None else str(SHEET_LABELS[scope])
    # The call's year tells editions apart; its slug is in the file's name.
    year = timezone.localtime(call.closes_at, zoneinfo.ZoneInfo(call.time_zone)).year
    title = writers.sheet_title(label, str(year))
    cells = rows.cell_rows(call, scope, application_ids, typed_dates=True, by=by)
    headers = rows.headers(call)
    return writers.write_xlsx(target, headers, cells, title=title, widths=rows.widths(headers), progress=progress)


def xlsx_response(call, scope: str, application_ids=None, *, by):
    """A small XLSX built now, in a temporary file (never fully in memory)."""
    from django.http import FileResponse

    name = filename(call, scope if application_ids is None else "selection", ExportFormat.XLSX)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_xlsx_file(handle, call, scope, application_ids, by=by)
    handle.seek(0)
    response = FileResponse(handle, content_type=CONTENT_TYPES[ExportFormat.XLSX])
    return _attachment(response, name)


def request_job(call, scope: str, *, by, language: str) -> ExportJob:
    """Queue a background XLSX build; the task starts once this transaction commits."""
    from cohorts.exports.tasks import build_export

    if scope not in ExportScope.values:
        raise ValueError(scope)
    job = ExportJob.objects.create(
        call=call,
        scope=scope,
        format=ExportFormat.XLSX,
        requested_by=by,
        language=language,
        total_rows=rows.count(call, scope, by=by),
    )
    build_export.delay_on_commit(job.pk)
    return job


def build_job(job_id: int) -> bool:
    """Build a job's file. Idempotent: a finished job is left alone; a retried one starts over."""
    with transaction.atomic():
        # The job's own row makes a retried task wait for the first; the call is only read.
        job = ExportJob.objects.select_for_update(of=("self",)).select_related("call").filter(pk=job_id).first()
        if job is None or job.status == ExportJobStatus.DONE:
            return False
        job.status = ExportJobStatus.RUNNING
        job.done_rows = 0
        job.total_rows = rows.count(job.call, job.scope, by=job.requested_by)
        job.save(update_fields=["status", "done_rows", "total_rows"])

    def progress(done):
        ExportJob.objects.filter(pk=job.pk).update(done_rows=done)

    name = filename(job.call, job.scope, ExportFormat.XLSX, now=job.created_at)
    try:
        with translation.override(job.language), tempfile.TemporaryFile() as handle:
            written = write_xlsx_file(handle, job.call, job.scope, progress=progress, by=job.requested_by)
            handle.seek(0)
            job.file.save(name, File(handle), save=False)
    except Exception as exc:
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJobStatus.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    job.filename = name
    job.done_rows = written
    job.total_rows = max(job.total_rows, written)
    job.status = ExportJobStatus.DONE
    job.finished_at = timezone.now()
    job.error = ""
    job.save(update_fields=["file", "filename", "done_rows", "total_rows", "status", "finished_at", "error"])
    return True
