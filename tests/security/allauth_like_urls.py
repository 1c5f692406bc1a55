"""A sign-in view shaped like django-allauth's (field "login", authenticate(email=...)), so the
throttling is proven on that form before allauth itself arrives."""

from django.contrib.auth import authenticate, login
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from accelerator.urls import urlpatterns as portal_urlpatterns


@csrf_exempt
def allauth_like_login(request):
    user = authenticate(request, email=request.POST.get("login"), password=request.POST.get("password"))
    if user is None:
        return HttpResponse("The e-mail address and/or password you specified are not correct.", status=200)
    login(request, user)
    return HttpResponse("signed in")


urlpatterns = [path("accounts/login/", allauth_like_login), *portal_urlpatterns]
