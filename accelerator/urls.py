from django.contrib import admin
from django.urls import include, path

from accelerator.health import healthz
from calls import views as call_views

admin.site.site_header = "AI Startup Programme · STATION F"
admin.site.site_title = "Programme admin"

urlpatterns = [
    path("", call_views.home, name="home"),
    path("", include("calls.urls")),
    path("", include("applications.urls")),
    path("", include("cohorts.urls")),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
