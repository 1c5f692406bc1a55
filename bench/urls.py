from django.http import HttpResponse
from django.urls import path

from accelerator.urls import urlpatterns as portal_urlpatterns


def minimal(request):
    # The floor: the same middleware stack and server, no template, no query.
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal", minimal), *portal_urlpatterns]
