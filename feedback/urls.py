from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("concerns/new/", views.concern_new, name="concern-new"),
    path("concerns/new/submitted/", views.concern_submitted, name="concern-submitted"),
    path("concerns/track/", views.concern_track, name="concern-track"),
    path("concerns/track/<str:code>/", views.concern_status, name="concern-status"),
    # The link in the "was it resolved?" message; its token is random and kept out of logs.
    path("concerns/followup/<str:token>/", views.followup, name="followup"),
    path("you-said-we-did/", views.you_said_we_did, name="you-said-we-did"),
    path("concerns/queue/", views.concern_queue, name="concern-queue"),
    path("concerns/queue/<int:pk>/", views.concern_detail, name="concern-detail"),
    path("concerns/queue/<int:pk>/assign/", views.concern_assign, name="concern-assign"),
    path("concerns/queue/<int:pk>/status/", views.concern_change_status, name="concern-change-status"),
    path("concerns/queue/<int:pk>/notes/", views.concern_add_note, name="concern-add-note"),
    path("concerns/queue/<int:pk>/publish/", views.concern_publish, name="concern-publish"),
]
