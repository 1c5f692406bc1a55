from django.urls import path

from cohorts.offers import views

app_name = "cohorts"
urlpatterns = [
    path("offers/<int:pk>/", views.offer_detail, name="offer"),
    path("offers/<int:pk>/accept/", views.offer_answer, {"answer": "accept"}, name="offer_accept"),
    path("offers/<int:pk>/decline/", views.offer_answer, {"answer": "decline"}, name="offer_decline"),
]
