from django.urls import path

from security import views

app_name = "security"
urlpatterns = [
    path("two-factor/", views.mfa_verify, name="mfa_verify"),
    path("two-factor/setup/", views.mfa_setup, name="mfa_setup"),
]
