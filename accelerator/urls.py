from django.contrib import admin
from django.urls import include, path

from accelerator import errors
from accelerator.health import healthz
from accounts import views as account_views
from calls import views as call_views
from ops.metrics import metrics_view

urlpatterns = [
    path("", call_views.home, name="home"),
    path("", include("calls.urls")),
    path("", include("applications.urls")),
    path("", include("cohorts.urls")),
    path("", include("interviews.booking.urls")),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", errors.favicon),
    path("metrics", metrics_view, name="metrics"),
    # Before Django's own: the switcher also saves the language on the signed-in account.
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("accounts.urls")),
    path("", include("privacy.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("security.urls")),
]

handler403 = errors.permission_denied
handler404 = errors.page_not_found
