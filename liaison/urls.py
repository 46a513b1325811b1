from django.urls import path
from django.utils.translation import gettext_lazy as _

from bridge.views import placeholder, staff_placeholder

app_name = "liaison"
urlpatterns = [
    path("liaisons/", placeholder, {"title": _("Find a liaison officer")}, name="directory"),
    path("contacts/", staff_placeholder, {"title": _("My contacts")}, name="contact-list"),
    path("contacts/new/", staff_placeholder, {"title": _("Log a contact")}, name="contact-new"),
]
