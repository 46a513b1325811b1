from django.urls import path
from django.utils.translation import gettext_lazy as _

from bridge.views import placeholder

app_name = "outreach"
urlpatterns = [
    path("events/", placeholder, {"title": _("Upcoming meetings")}, name="event-list"),
    path("subscribe/", placeholder, {"title": _("Get meeting notices")}, name="subscribe"),
]
