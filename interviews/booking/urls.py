from django.urls import path

from interviews.booking import views

app_name = "booking"
urlpatterns = [
    path("applications/<int:pk>/interview/", views.page, name="page"),
    path("applications/<int:pk>/interview/book/", views.book, name="book"),
    path("calendar/interview/<str:token>.ics", views.founder_calendar, name="founder_calendar"),
    path("calendar/panel/<str:token>.ics", views.panel_calendar, name="panel_calendar"),
]
