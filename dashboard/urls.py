from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("export/<slug:what>.<slug:fmt>", views.export, name="export"),
    path("exports/", views.export_jobs, name="export_jobs"),
    path("exports/<uuid:job_id>/", views.export_job, name="export_job"),
    path("exports/<uuid:job_id>/download", views.export_download, name="export_download"),
]
