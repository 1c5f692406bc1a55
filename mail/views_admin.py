"""Admin pages where organisers edit, preview and reset the e-mail texts of a call."""

from django.conf import settings
from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mail import kind_names, previews, templating
from mail.forms import MailTextForm
from mail.models import MailTemplate
from mail.rendering import render_mail

LANGUAGES = dict(settings.LANGUAGES)
# The call the texts belong to, reached through the model so that mail imports no app.
Call = MailTemplate._meta.get_field("call").related_model


@require_GET
def overview(request, call_id):
    call = get_object_or_404(Call, pk=call_id)
    custom = {(t.kind, t.language): t for t in MailTemplate.objects.filter(call=call)}
    rows = [
        {
            "kind": kind,
            "name": kind_names.kind_name(kind),
            "languages": [
                {"code": code, "name": name, "custom": custom.get((kind, code))} for code, name in settings.LANGUAGES
            ],
        }
        for kind in templating.discover_kinds()
    ]
    rows.sort(key=lambda row: str(row["name"].title))
    context = {
        **admin.site.each_context(request),
        "title": _("E-mail texts: %(call)s") % {"call": call.title},
        "call": call,
        "rows": rows,
        "opts": MailTemplate._meta,
    }
    return render(request, "admin/mail/mailtemplate/overview.html", context)


def _preview_context(call, application, kind, viewer):
    """The context the portal would pass for this application (see mail.previews); and for kinds
    whose sender computes its own placeholders, the values it would compute. Call it under the
    e-mail's language: those values are text in that language."""
    context = previews.context(call, application)
    note = ""
    spec = templating.KINDS.get(kind)
    if spec is not None and spec.preview is not None:
        extra = spec.preview(call=call, application=application, viewer=viewer)
        context.update(extra.context)
        note = extra.note
    # Each kind names its recipient differently (recipient, person, user): all of them are the same.
    context["person"] = context["user"] = context["recipient"]
    return context, note


@require_http_methods(["GET", "POST"])
def edit(request, call_id, kind, language):
    call = get_object_or_404(Call, pk=call_id)
    if kind not in templating.discover_kinds() or language not in LANGUAGES:
        raise Http404
    current = MailTemplate.objects.filter(call=call, kind=kind, language=language).first()
    applications = previews.examples(call)
    builtin_subject, builtin_body = templating.builtin_text(kind, language)
    initial = {
        "subject": current.subject if current else builtin_subject,
        "body": current.body if current else builtin_body,
        "application": applications[0].pk if applications else None,
    }
    form = MailTextForm(request.POST or None, initial=initial, kind=kind, applications=applications)
    preview = None
    if request.method == "POST":
        if "_reset" in request.POST:
            # The reset has its own confirmation page.
            return redirect("admin:mail_mailtemplate_reset", call_id=call.pk, kind=kind, language=language)
        if form.is_valid():
            if "_save" in request.POST:
                MailTemplate.objects.update_or_create(
                    call=call,
                    kind=kind,
                    language=language,
                    defaults={
                        "subject": form.cleaned_data["subject"],
                        "body": form.cleaned_data["body"],
                        "updated_by": request.user,
                    },
                )
                messages.success(request, _("The e-mail text was saved; it is used for every e-mail of this kind."))
                return redirect("admin:mail_mailtemplate_edit", call_id=call.pk, kind=kind, language=language)
            preview = _preview(form.cleaned_data, call, kind, language, applications, request.user)
    elif current is not None or applications:
        preview = _saved_preview(call, kind, language, applications, request.user)
    context = {
        **admin.site.each_context(request),
        "title": _("E-mail “%(kind)s” in %(language)s")
        % {"kind": kind_names.title(kind), "language": LANGUAGES[language]},
        "call": call,
        "kind": kind,
        "kind_name": kind_names.kind_name(kind),
        "language": language,
        "language_name": LANGUAGES[language],
        "current": current,
        "form": form,
        "preview": preview,
        "placeholders": templating.placeholders(kind),
        "placeholder_help": _(
            "Write a placeholder between double braces, e.g. %(example)s. Tags such as %(tag)s are not allowed. "
            "You may add one of these filters: %(filters)s, e.g. %(filter_example)s."
        )
        % {
            "example": "{{ startup_name }}",
            "tag": "{% if %}",
            "filters": ", ".join(templating.ALLOWED_FILTERS),
            "filter_example": '{{ recipient_name|default:"there" }}',
        },
        "opts": MailTemplate._meta,
    }
    return render(request, "admin/mail/mailtemplate/edit.html", context)


@require_http_methods(["GET", "POST"])
def reset(request, call_id, kind, language):
    """GET: the organisers' text beside the built-in one it goes back to, and which e-mails that
    changes. POST: delete the organisers' text (a second POST finds none and changes nothing)."""
    call = get_object_or_404(Call, pk=call_id)
    if kind not in templating.discover_kinds() or language not in LANGUAGES:
        raise Http404
    current = MailTemplate.objects.filter(call=call, kind=kind, language=language).first()
    if request.method == "POST":
        if current is None:
            messages.info(request, _("This e-mail already uses the built-in text: nothing was changed."))
        else:
            current.delete()
            messages.success(request, _("The built-in text is used again for this e-mail."))
        return redirect("admin:mail_mailtemplate_edit", call_id=call.pk, kind=kind, language=language)
    builtin_subject, builtin_body = templating.builtin_text(kind, language)
    context = {
        **admin.site.each_context(request),
        "title": _("Reset the e-mail “%(kind)s” in %(language)s?")
        % {"kind": kind_names.title(kind), "language": LANGUAGES[language]},
        "call": call,
        "kind": kind,
        "kind_name": kind_names.kind_name(kind),
        "language": language,
        "language_name": LANGUAGES[language],
        "current": current,
        "builtin_subject": builtin_subject,
        "builtin_body": builtin_body,
        "opts": MailTemplate._meta,
    }
    return render(request, "admin/mail/mailtemplate/reset.html", context)


def _pick(applications, pk):
    for application in applications:
        if application.pk == pk:
            return application
    return applications[0] if applications else None


def _preview(data, call, kind, language, applications, viewer):
    application = _pick(applications, data.get("application"))
    if application is None:
        return {"missing": True}
    with translation.override(language):
        context, note = _preview_context(call, application, kind, viewer)
        subject = templating.render_text(data["subject"], kind, context)
        body = templating.render_text(data["body"], kind, context)
    return {
        "subject": " ".join(subject.split()),
        "body": body.strip(),
        "application": application,
        "note": note,
        "unsaved": True,
    }


def _saved_preview(call, kind, language, applications, viewer):
    """What would be sent now: the saved override, or the built-in text."""
    application = applications[0] if applications else None
    if application is None:
        return {"missing": True}
    with translation.override(language):
        context, note = _preview_context(call, application, kind, viewer)
    subject, body = render_mail(kind, context, language)
    return {"subject": subject, "body": body.strip(), "application": application, "note": note, "unsaved": False}
