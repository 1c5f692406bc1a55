from django.urls import path

from calls import views

app_name = "calls"
urlpatterns = [
    path("calls/<slug:slug>/", views.call_detail, name="detail"),
]
