from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("export/<slug:what>.<slug:fmt>", views.export, name="export"),
]
