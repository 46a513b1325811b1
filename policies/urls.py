from django.urls import path

from . import views

app_name = "policies"
urlpatterns = [
    # Public addresses printed on flyers and cards: do not change them.
    path("policies/", views.policy_list, name="list"),
    path("policies/<slug:slug>/", views.policy_detail, name="detail"),
    path("policies/<slug:slug>/v<int:number>/", views.policy_version, name="version"),
    # Coordinators.
    path("staff/policies/", views.staff_list, name="staff-list"),
    path("staff/policies/new/", views.staff_new, name="staff-new"),
    path("staff/policies/<int:pk>/publish/", views.staff_publish, name="staff-publish"),
]
