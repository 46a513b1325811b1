from django.urls import path

from . import views

app_name = "engagement"
urlpatterns = [
    path("requests/", views.request_list, name="list"),
    path("requests/new/", views.request_new, name="new"),
    path("requests/<int:pk>/", views.request_detail, name="detail"),
    path("requests/<int:pk>/assign/", views.request_assign, name="assign"),
    path("requests/<int:pk>/move/", views.request_move, name="move"),
    path("requests/<int:pk>/link/", views.request_link, name="link"),
    path("requests/<int:pk>/contact/", views.request_log_contact, name="log-contact"),
]
