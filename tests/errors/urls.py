"""The portal's URLs plus views that fail on purpose, for the error pages' tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from accelerator.urls import handler403, handler404  # noqa: F401
from accelerator.urls import urlpatterns as portal_urls


def broken(request):
    raise RuntimeError("a bug")


def suspicious(request):
    raise SuspiciousOperation("bad input")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("test-errors/500/", broken),
    path("test-errors/400/", suspicious),
    path("test-errors/403/", forbidden),
    *portal_urls,
]
