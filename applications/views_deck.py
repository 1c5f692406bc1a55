from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.views.decorators.http import require_GET

from applications.access import for_reader


@login_required
@require_GET
def deck_download(request, pk):
    """Serve a pitch deck only to people allowed to see the application, never inline.

    Streamed by the portal; or, with object storage and S3_PRESIGNED_DOWNLOADS on, a redirect to a
    pre-signed URL valid for a minute (S3_PRESIGNED_SECONDS), issued only after the same check."""
    application = for_reader(request.user, pk)
    if not application.pitch_deck:
        raise Http404
    filename = f"pitch-deck-{application.pk}.pdf"
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
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
