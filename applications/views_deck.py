from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from applications.access import for_reader


@login_required
@require_GET
def deck_download(request, pk):
    """Serve a pitch deck only to people allowed to see the application, never inline."""
    application = for_reader(request.user, pk)
    if not application.pitch_deck:
        raise Http404
    filename = f"pitch-deck-{application.pk}.pdf"
    response = FileResponse(
        application.pitch_deck.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
