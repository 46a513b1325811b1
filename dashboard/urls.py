from django.urls import path

from . import views

app_name = "dashboard"
# Included at the site's root: the commander's dashboard under dashboard/, the regional view
# (the sharing agencies' figures) beside it at regional/.
urlpatterns = [
    path("dashboard/", views.home, name="home"),
    path("dashboard/export/<slug:what>.<slug:fmt>", views.export, name="export"),
    path("dashboard/exports/", views.export_jobs, name="export_jobs"),
    path("dashboard/exports/<uuid:job_id>/", views.export_job, name="export_job"),
    path("dashboard/exports/<uuid:job_id>/download", views.export_download, name="export_download"),
    path("regional/", views.regional, name="regional"),
    path("regional/export.csv", views.regional_export, name="regional-export"),
]
