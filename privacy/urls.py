from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("accounts/data/", views.my_data, name="data"),
    path("accounts/data/export/", views.export, name="export"),
    path("accounts/delete/", views.delete_account, name="delete"),
]
