from django.urls import path

from applications import views_deck

app_name = "applications"
urlpatterns = [
    path("applications/<int:pk>/deck/", views_deck.deck_download, name="deck"),
]
