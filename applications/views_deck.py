from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from applications.access import for_reader

# The inline deck: nothing but the PDF itself, shown only inside the portal's own pages.
INLINE_POLICY = "default-src 'none'; frame-ancestors 'self'"


def _readable_deck(request, pk):
    application = for_reader(request.user, pk)
    if not application.pitch_deck:
        raise Http404
    return application, f"pitch-deck-{application.pk}.pdf"


def _private(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def deck_download(request, pk):
    """Serve a pitch deck only to people allowed to see the application, as a download.

    Streamed by the portal; or, with object storage and S3_PRESIGNED_DOWNLOADS on, a redirect to a
    pre-signed URL valid for a minute (S3_PRESIGNED_SECONDS), issued only after the same check."""
    application, filename = _readable_deck(request, pk)
    signed = application.pitch_deck.storage.signed_download_url(
        application.pitch_deck.name, filename=filename, content_type="application/pdf"
    )
    if signed:
        response = HttpResponseRedirect(signed)
        response["Referrer-Policy"] = "no-referrer"
    else:
        response = FileResponse(
            application.pitch_deck.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
        )
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return _private(response)


@login_required
@require_GET
@xframe_options_sameorigin
def deck_inline(request, pk):
    """The same deck, under the same access rule, for the viewer framed in the reviewer's page.

    Always streamed by the portal, even where downloads are pre-signed: the viewer stays on the
    portal's origin, so the page's CSP frames 'self' only and no bucket address enters a policy.
    No `sandbox` here, unlike the download: Chromium refuses to run its PDF viewer in a sandboxed
    document, so the policy instead allows nothing to load and only the portal to frame it."""
    application, filename = _readable_deck(request, pk)
    response = FileResponse(
        application.pitch_deck.open("rb"), as_attachment=False, filename=filename, content_type="application/pdf"
    )
    response["Content-Security-Policy"] = INLINE_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return _private(response)
