from django.urls import path

from . import views

# Mounted at /events/ outside the language prefix: calendar apps subscribe to one address.
urlpatterns = [
    path("calendar.ics", views.calendar_feed, name="calendar"),
]
