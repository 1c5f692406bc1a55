"""The final ranking's pages in the admin: the run with each method's review and interview parts,
run again, and the lock with its "lock anyway" tick. ShortlistRunAdmin hands final runs here."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_organiser
from applications.timefmt import deadline_text
from calls.models import ShortlistMethod
from cohorts import selectors
from cohorts.models import Section, Stage
from cohorts.shortlist import final, ranking

SECTIONS = (
    (Section.SHORTLIST, _("Cohort")),
    (Section.WAITLIST, _("Waitlist")),
    (Section.RANKED, _("Ranked below")),
    (Section.NOT_ENOUGH_REVIEWS, _("No panel score yet")),
    (Section.EXCLUDED, _("Excluded (no-show or withdrawn)")),
)


def _change_url(run):
    return reverse("admin:cohorts_shortlistrun_change", args=[run.pk])


def snapshot_view(model_admin, request, run):
    call = run.call
    latest = selectors.latest_run(call, Stage.FINAL)
    locked = selectors.locked_run(call, Stage.FINAL)
    parts = run.parameters.get("parts", {})
    reasons = run.parameters.get("excluded", {})
    sections = []
    for key, heading in SECTIONS:
        # A final run stores every startup as a row (tens of them): no page of the packed ranking.
        rows = list(run.entries.filter(section=key).select_related("application").order_by("rank", "application_id"))
        for entry in rows:
            entry.reason = reasons.get(str(entry.application_id), "")
            values = parts.get(str(entry.application_id))
            entry.methods = [
                {
                    "key": method,
                    "review": values["review"][k] if values else None,
                    "interview": values["interview"][k] if values else None,
                    "score": getattr(entry, f"score_{method}"),
                    "rank": getattr(entry, f"rank_{method}"),
                }
                for k, method in enumerate(ranking.METHODS)
            ]
        sections.append((key, heading, rows))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Final ranking of %(call)s") % {"call": call},
        "run": run,
        "call": call,
        "sections": sections,
        "methods": ShortlistMethod.choices,
        "is_latest": latest is not None and latest.pk == run.pk,
        "latest": latest,
        "locked": locked,
        "can_act": locked is None,
        "stale": locked is None and final.is_stale(run),
        "review_weight": run.parameters.get("review_weight"),
        "interview_weight": 1 - run.parameters.get("review_weight", 0),
    }
    return TemplateResponse(request, "admin/cohorts/shortlistrun/final.html", context)


def rerun(model_admin, request, run):
    try:
        new = final.run_final(run.call, by=request.user, method=request.POST.get("method"))
    except final.ShortlistError as error:
        model_admin.message_user(request, str(error), messages.ERROR)
        return HttpResponseRedirect(_change_url(run))
    model_admin.message_user(request, _("The final ranking was computed again."), messages.SUCCESS)
    return HttpResponseRedirect(_change_url(new))


def lock_view(model_admin, request, run):
    back = HttpResponseRedirect(_change_url(run))
    missing_tick = False
    if request.method == "POST":
        try:
            final.lock_final(run, by=request.user, acknowledge_open_scoring=request.POST.get("lock_anyway") == "yes")
        except final.ScoringOpen as error:
            model_admin.message_user(request, str(error), messages.ERROR)
            missing_tick = True
        except final.ShortlistError as error:
            model_admin.message_user(request, str(error), messages.ERROR)
            return back
        else:
            model_admin.message_user(
                request,
                _("The final ranking is locked: offers now come from it. Founders still see “Under review”."),
                messages.SUCCESS,
            )
            return back
    if selectors.locked_run(run.call, Stage.FINAL) is not None:
        return back
    check = final.lock_check(run)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Lock this final ranking?"),
        "run": run,
        "call": run.call,
        "check": check,
        "scoring_closes": deadline_text(check["scoring_closes_at"], run.call.time_zone),
        "missing_tick": missing_tick,
        "cohort": list(selectors.entries(run, Section.SHORTLIST)),
        "waitlist": list(selectors.entries(run, Section.WAITLIST)),
    }
    return TemplateResponse(request, "admin/cohorts/shortlistrun/final_lock.html", context)


@admin.action(description=_("Run the final ranking (after the interviews)"))
def run_final_action(modeladmin, request, queryset):
    """Admin action on calls: compute a final run for each selected call with the interview stage."""
    if not is_organiser(request.user):
        modeladmin.message_user(request, _("Only organisers may run the final ranking."), messages.ERROR)
        return None
    runs = []
    for call in queryset:
        try:
            runs.append(final.run_final(call, by=request.user))
        except final.ShortlistError as error:
            modeladmin.message_user(request, f"{call}: {error}", messages.ERROR)
    if len(runs) == 1:
        return HttpResponseRedirect(_change_url(runs[0]))
    return None
