from django.shortcuts import render
from django.utils import timezone

from calls import selectors


def home(request):
    now = timezone.now()
    current, archive = selectors.public_calls(now)
    return render(request, "calls/home.html", {"current_calls": current, "archive": archive, "now": now})


def call_detail(request, slug):
    call = selectors.call_by_slug(slug)
    return render(request, "calls/detail.html", {"call": call, "state": call.phase, "now": timezone.now()})
