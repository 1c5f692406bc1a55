"""What the “shortlist ready” e-mail says beyond the common placeholders, computed by the run.

The values are text in the organiser's language (the shortlist already written out, counts in
words), passed in the e-mail's context: the built-in text and organisers' own texts
(mail.templating) use the same {{ placeholders }}. The e-mail text editor previews them with the
call's latest run, or with an example made from its applications when it has none.
"""

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applications.models import SUBMITTED_STATUSES, Application
from calls.models import ShortlistMethod
from cohorts import selectors
from cohorts.models import RunTrigger, Section, ShortlistRun
from core import links
from mail.templating import Preview, register_kind

KIND = "shortlist_ready"

# Lazy: the note is shown in the organiser's language, the preview in the e-mail's.
SAMPLE_NOTE = gettext_lazy(
    "No shortlist was run for this call yet: the ranking and scores in this preview are an example."
)
PLACEHOLDERS = {
    "method": gettext_lazy("Ranking method of the run, e.g. “Mean of weighted scores”"),
    "trigger": gettext_lazy("What started the run: automatic after the review deadline, the admin or the command line"),
    "shortlist": gettext_lazy(
        "The shortlist, one application a line with its rank, its score, whether it is pinned and whether its "
        "place depends on the method; or a sentence saying that no application has enough reviews yet"
    ),
    "waitlist": gettext_lazy("Number of applications on the waiting list, in words, e.g. “3 applications”"),
    "not_enough_reviews": gettext_lazy(
        "Number of applications with too few reviews to be ranked, in words, e.g. “1 application”"
    ),
    "url": gettext_lazy("Address of the run in the admin, where it is compared, run again or locked"),
}


def register() -> None:
    register_kind(KIND, placeholders=PLACEHOLDERS, preview=preview)


def run_admin_url(run: ShortlistRun) -> str:
    return links.absolute(reverse("admin:cohorts_shortlistrun_change", args=[run.pk]))


def run_facts(run: ShortlistRun, counts: dict[str, int] | None = None) -> dict:
    """What the e-mail reports about a run, read once for every organiser (two queries, one when
    the run's section counts are given: a run has them, and reading its packed ranking again for
    them costs more than the rest)."""
    if counts is None:
        counts = selectors.section_counts(run)
    return {
        "method": run.method,
        "trigger": run.trigger,
        "shortlist": [
            {
                "rank": entry.rank,
                "application": entry.application,
                "score": entry.score,
                "pinned": entry.pinned,
                "stable": entry.stable,
            }
            for entry in selectors.entries(run, Section.SHORTLIST)
        ],
        "waitlist": counts[Section.WAITLIST],
        "not_enough": counts[Section.NOT_ENOUGH_REVIEWS],
        "url": run_admin_url(run),
    }


def _applications(count: int) -> str:
    return ngettext("%(count)s application", "%(count)s applications", count) % {"count": count}


def _line(entry: dict) -> str:
    notes = [floatformat(entry["score"], 3) if entry["score"] is not None else _("no score")]
    if entry["pinned"]:
        notes.append(_("pinned"))
    notes.append(_("stable under all three methods") if entry["stable"] else _("depends on the method"))
    # str() here, in the organiser's language: an untitled application is named in words.
    return f"{entry['rank']}. {entry['application']} ({', '.join(notes)})"


def shortlist_values(facts: dict) -> dict[str, str]:
    """The placeholders for one language (call under its translation.override)."""
    lines = [_line(entry) for entry in facts["shortlist"]] or [_("No application has enough reviews yet.")]
    return {
        "method": str(ShortlistMethod(facts["method"]).label),
        "trigger": str(RunTrigger(facts["trigger"]).label),
        "shortlist": "\n".join(lines),
        "waitlist": _applications(facts["waitlist"]),
        "not_enough_reviews": _applications(facts["not_enough"]),
        "url": facts["url"],
    }


def preview(*, call, application, viewer) -> Preview:
    """Addressed to the organiser: the call's latest run, or an example ranking the chosen
    application first among the call's submitted applications."""
    run = selectors.latest_run(call)
    if run is not None:
        return Preview({"recipient": viewer, **shortlist_values(run_facts(run))})
    others = list(
        Application.objects.filter(call=call, status__in=SUBMITTED_STATUSES)
        .exclude(pk=application.pk)
        .order_by("submitted_at", "pk")[: 2 * call.cohort_size]
    )
    ranked = [application, *others]
    shortlisted, waitlisted = ranked[: call.cohort_size], ranked[call.cohort_size :]
    facts = {
        "method": call.shortlist_method,
        "trigger": RunTrigger.ADMIN,
        "shortlist": [
            # Example scores, falling by a quarter point: the preview says they are made up.
            {"rank": rank, "application": a, "score": 4.5 - 0.25 * (rank - 1), "pinned": False, "stable": rank == 1}
            for rank, a in enumerate(shortlisted, start=1)
        ],
        "waitlist": len(waitlisted),
        "not_enough": 0,
        "url": links.absolute(reverse("admin:cohorts_shortlistrun_changelist")),
    }
    return Preview({"recipient": viewer, **shortlist_values(facts)}, SAMPLE_NOTE)
