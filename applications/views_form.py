"""The application form: explicit saves (work without JavaScript) and background autosave."""

import copy
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django_countries.fields import Country

from applications import access, selectors
from applications.answers import EMPTY, SECTION_KEYS, SECTIONS, deck_summary, shown_value
from applications.completeness import section_title
from applications.forms import ApplicationForm, ChangedAnswersForm, team_formset
from applications.models import TEAM_FIELDS
from applications.services.drafts import save_application
from applications.services.errors import Incomplete, NotAllowed, NotEditable, StaleVersion
from applications.uploads import PitchDeckSizeLimit
from core.fetch import login_required_or_401


@dataclass
class Outcome:
    status: str  # saved | deck_rejected | invalid | conflict | closed | incomplete
    application: object = None
    missing: dict = field(default_factory=dict)


def _bind(request, application, data=None):
    data = request.POST if data is None else data
    # A copy: validating a ModelForm writes the input onto its instance, which must keep showing what is saved.
    form = ApplicationForm(
        data,
        request.FILES,
        instance=copy.copy(application),
        call=application.call,
        deck_too_big="pitch_deck" in getattr(request, "oversized_uploads", ()),
    )
    return form, team_formset(application, data=data)


def _attempt_save(pk, form, formset, *, by, with_deck: bool) -> Outcome:
    """formset None: the team is left as saved."""
    form_ok, team_ok = form.is_valid(), formset is None or formset.is_valid()
    deck_rejected = not form_ok and set(form.errors) == {"pitch_deck"}
    if not team_ok or not (form_ok or deck_rejected) or "version" not in form.cleaned_data:
        return Outcome("invalid")
    deck = form.cleaned_data.get("pitch_deck") if with_deck and not deck_rejected else None
    try:
        saved = save_application(
            pk,
            by=by,
            expected_version=form.cleaned_data["version"],
            values=form.content_values(),
            team=formset.rows() if formset is not None else None,
            deck=deck or None,
            clear_deck=with_deck and bool(form.cleaned_data.get("remove_deck")),
        )
    except StaleVersion as exc:
        return Outcome("conflict", application=exc.current)
    except NotAllowed:
        raise Http404 from None  # no longer on the application (removed since the page was read)
    except NotEditable:
        return Outcome("closed")
    except Incomplete as exc:
        return Outcome("incomplete", missing=exc.missing)
    return Outcome("deck_rejected" if deck_rejected else "saved", application=saved)


def _with_version(request, version):
    data = request.POST.copy()
    data["version"] = str(version)
    return data


def save_label(application) -> str:
    """The words on the form's save button, which help texts name."""
    return _("Save changes") if application.is_submitted else _("Save draft")


def progress_text(done: int, total: int) -> str:
    return ngettext("%(done)s of %(total)s sections complete", "%(done)s of %(total)s sections complete", done) % {
        "done": done,
        "total": total,
    }


def _page(request, application, form, formset, *, status=200, **extra):
    now = timezone.now()
    # The team rows shown are the saved ones unless the page shows posted rows: no second count.
    team_count = None if formset.is_bound else len(formset.initial or [])
    sections = selectors.section_states(application, team_count=team_count)
    states = {s.key: s for s in sections}
    layout = [
        {
            "key": part.key,
            "number": i,
            "title": str(part.title),
            "intro": part.intro,
            "fields": [form[answer.name] for answer in part.answers],
            "state": states[part.key],
        }
        for i, part in enumerate(SECTIONS, start=1)
    ]
    context = {
        "application": application,
        "call": application.call,
        "form": form,
        "formset": formset,
        "layout": layout,
        "complete_count": sum(s.complete for s in sections),
        "progress_text": progress_text(sum(s.complete for s in sections), len(sections)),
        "save_label": save_label(application),
        "deck": deck_summary(application),
        "is_owner": access.is_owner(request.user, application),
        "now": now,
        **extra,
    }
    return render(request, "applications/edit.html", context, status=status)


@csrf_exempt  # CSRF is checked by _edit: upload handlers must be set before anything reads the body
def edit(request, pk):
    request.upload_handlers.insert(0, PitchDeckSizeLimit(request))
    return _edit(request, pk)


@csrf_protect
@login_required
def _edit(request, pk):
    application = access.for_editor(request.user, pk)
    if request.method != "POST":
        if not selectors.is_editable_at(application, timezone.now()):
            messages.info(request, _("This application can no longer be changed; here is what was sent."))
            return redirect(application)
        form = ApplicationForm(instance=application, call=application.call, initial={"version": application.version})
        extra_rows = 1 if request.GET.get("add") else 0
        return _page(request, application, form, team_formset(application, extra=extra_rows))

    form, formset = _bind(request, application)
    outcome = _attempt_save(application.pk, form, formset, by=request.user, with_deck=True)
    if outcome.status == "saved":
        return _after_save(request, outcome.application)
    if outcome.status == "deck_rejected":
        # The answers are saved; only the file was refused. Show the form again with the reason.
        saved = outcome.application
        form.data = _with_version(request, saved.version)
        return _page(request, saved, form, formset, status=400, deck_rejected=True)
    if outcome.status == "conflict":
        current = outcome.application
        diffs = conflicting_answers(current, form, formset.rows() if formset.is_valid() else [])
        # Saving this page again is now a deliberate choice to keep what is shown in it.
        form.data = _with_version(request, current.version)
        return _page(request, current, form, formset, status=409, conflict=True, diffs=diffs)
    if outcome.status == "closed":
        return _page(request, application, form, formset, status=403, closed=True)
    if outcome.status == "incomplete":
        return _page(request, application, form, formset, status=400, missing=_titled(outcome.missing))
    return _page(request, application, form, formset, status=400, invalid=True)


def _after_save(request, application):
    action = request.POST.get("action", "")
    if action == "add_member":
        return redirect(reverse("applications:edit", kwargs={"pk": application.pk}) + "?add=1#section-team")
    if action == "review" and access.is_owner(request.user, application):
        return redirect("applications:submit", pk=application.pk)
    if application.is_submitted:
        messages.success(request, _("Your changes are saved. Your application remains submitted."))
    else:
        messages.success(
            request,
            # No full stop: an English time ends with one already ("2:19 p.m.").
            _("Draft saved at %(time)s") % {"time": time_format(timezone.localtime(application.updated_at))},
        )
    section = request.POST.get("section", "")
    anchor = f"#section-{section}" if section in SECTION_KEYS else ""
    return redirect(reverse("applications:edit", kwargs={"pk": application.pk}) + anchor)


def conflicting_answers(current, form, team_rows) -> list[tuple[str, str, str]]:
    """Where what the founder sent differs from what is saved now: (label, saved, theirs).
    `team_rows` None: the team was not sent."""
    if not form.is_valid():
        return []
    diffs = []
    for name, theirs in form.content_values().items():
        saved = getattr(current, name)
        if _normalise(saved) != _normalise(theirs):
            mine = shown_value(current, name)
            diffs.append((mine["label"], mine["text"], shown_value(current, name, theirs)["text"]))
    if team_rows is None:
        return diffs
    saved_team = [tuple(getattr(m, f) for f in TEAM_FIELDS) for m in current.team_members.all()]
    their_team = [tuple(r[f] for f in TEAM_FIELDS) for r in team_rows]
    if saved_team != their_team:
        diffs.append(
            (
                _("Team"),
                ", ".join(row[0] for row in saved_team) or EMPTY,
                ", ".join(row[0] for row in their_team) or EMPTY,
            )
        )
    return diffs


def _same_as_saved(current, form, formset) -> bool:
    """The stale autosave is this tab's own, sent again after its answer was lost: the save right
    after its version wrote what it carries. Only what was sent is compared (the script sends what
    changed since its last acknowledged save), so a later save, perhaps another tab's with changes
    this tab has not seen, makes it a conflict. `formset` None: the team was not sent."""
    if not form.is_valid() or (formset is not None and not formset.is_valid()):
        return False
    if current.version != form.cleaned_data["version"] + 1:
        return False
    return not conflicting_answers(current, form, formset.rows() if formset is not None else None)


def _normalise(value):
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, Country):
        return value.code or None
    if isinstance(value, list):
        return sorted(value)
    return value


def _titled(missing: dict) -> list[tuple[str, str, list[str]]]:
    return [(key, section_title(key), labels) for key, labels in missing.items()]


@login_required_or_401
@require_POST
def autosave(request, pk):
    """Called by static/js/application-form.js while the founder types; never touches the pitch deck.

    It sends the version and only what changed since its last acknowledged save (the team's rows
    all together, or none): those answers are validated and written, the rest stays as saved. The
    application is read once, locked, by the save itself, which also tells a stranger's save from a
    founder's (404). The request and the answers' shapes are in docs/autosave.md.
    """
    form = ChangedAnswersForm(request.POST)
    formset = team_formset(None, data=request.POST) if "team-TOTAL_FORMS" in request.POST else None
    outcome = _attempt_save(pk, form, formset, by=request.user, with_deck=False)
    if outcome.status == "conflict" and _same_as_saved(outcome.application, form, formset):
        # The script retries a save whose answer was lost (the server went down after writing it):
        # what it sends is what is saved, so it is acknowledged rather than reported as a conflict.
        outcome = Outcome("saved", application=outcome.application)
    if outcome.status == "saved":
        saved = outcome.application
        saved_at = time_format(timezone.localtime(saved.updated_at))
        team_count = None if formset is None else len(formset.rows())  # None: counted
        states = selectors.section_states(saved, team_count=team_count)
        return JsonResponse(
            {
                "status": "saved",
                "version": saved.version,
                "message": _("Saved at %(time)s") % {"time": saved_at},
                "sections": {s.key: s.complete for s in states},
                "progress": progress_text(sum(s.complete for s in states), len(states)),
            }
        )
    if outcome.status == "conflict":
        message = _(
            "Someone else (a co-founder or another tab) saved this application since you opened it. "
            "Autosave is paused so nothing is overwritten: click “%(button)s” to compare and choose."
        ) % {"button": save_label(outcome.application)}
        return JsonResponse({"status": "conflict", "message": message}, status=409)
    if outcome.status == "closed":
        message = _("The deadline has passed: changes can no longer be saved.")
        return JsonResponse({"status": "closed", "message": message}, status=403)
    if outcome.status == "incomplete":
        labels = [f"{title}: {', '.join(items)}" for _k, title, items in _titled(outcome.missing)]
        message = _("Not saved: a submitted application must stay complete. Missing: %(items)s") % {
            "items": "; ".join(labels)
        }
        return JsonResponse({"status": "incomplete", "message": message}, status=400)
    # Refused before the save could tell a founder from anyone else: 404 for anyone else, as always.
    access.for_editor(request.user, pk)
    errors = []
    for name, field_errors in form.errors.items():
        if name in form.fields and name != "pitch_deck":
            errors.append({"field": name, "label": str(form.fields[name].label), "messages": field_errors})
    for i, row_errors in enumerate(formset.errors if formset is not None else []):
        for name, field_errors in row_errors.items():
            label = _("Team member %(n)s: %(field)s") % {"n": i + 1, "field": formset.forms[i].fields[name].label}
            errors.append({"field": f"team-{i}-{name}", "label": label, "messages": field_errors})
    team_errors = formset.non_form_errors() if formset is not None else []
    errors.extend({"field": "", "label": _("Team"), "messages": [e]} for e in team_errors)
    return JsonResponse(
        {"status": "invalid", "message": _("Not saved yet: correct the fields below."), "errors": errors}, status=400
    )
