from django.urls import path

from . import views

app_name = "agencies"
urlpatterns = [
    # Coordinators.
    path("staff/agency/", views.settings_edit, name="settings"),
    # Public: the header of every page shows it.
    path("agency/logo/", views.logo, name="logo"),
]
