from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    # Public addresses printed on flyers: do not change them.
    path("events/", views.event_list, name="event-list"),
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("events/<int:pk>/flyer/", views.event_flyer, name="event-flyer"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/done/", views.subscribe_done, name="subscribe-done"),
    path("subscribe/confirm/<str:token>/", views.subscribe_confirm, name="subscribe-confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # Staff.
    path("outreach/events/", views.staff_event_list, name="staff-events"),
    path("outreach/events/new/", views.staff_event_new, name="staff-event-new"),
    path("outreach/events/<int:pk>/edit/", views.staff_event_edit, name="staff-event-edit"),
    path("outreach/events/<int:pk>/publish/", views.staff_event_publish, name="staff-event-publish"),
    path("outreach/events/<int:pk>/cancel/", views.staff_event_cancel, name="staff-event-cancel"),
    path("outreach/events/<int:pk>/attendance/", views.staff_event_attendance, name="staff-event-attendance"),
    # The field app sends attendance recorded offline here (JSON).
    path(
        "outreach/events/<int:pk>/attendance/queue/",
        views.staff_event_attendance_queue,
        name="staff-event-attendance-queue",
    ),
]
