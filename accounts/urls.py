from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/preferences/", views.preferences, name="preferences"),
    path("privacy/", views.privacy, name="privacy"),
]
