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
    path("alerts/", views.alert_list, name="alert-list"),
    path("alerts/feed/", views.alert_feed, name="alert-feed"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert-detail"),
    # Staff.
    path("outreach/events/", views.staff_event_list, name="staff-events"),
    path("outreach/events/new/", views.staff_event_new, name="staff-event-new"),
    path("outreach/events/<int:pk>/edit/", views.staff_event_edit, name="staff-event-edit"),
    path("outreach/events/<int:pk>/publish/", views.staff_event_publish, name="staff-event-publish"),
    path("outreach/events/<int:pk>/cancel/", views.staff_event_cancel, name="staff-event-cancel"),
    path("outreach/events/<int:pk>/attendance/", views.staff_event_attendance, name="staff-event-attendance"),
    path("outreach/alerts/", views.staff_alert_list, name="staff-alerts"),
    path("outreach/alerts/new/", views.staff_alert_new, name="staff-alert-new"),
    path("outreach/alerts/<int:pk>/edit/", views.staff_alert_edit, name="staff-alert-edit"),
    path("outreach/alerts/<int:pk>/submit/", views.staff_alert_submit, name="staff-alert-submit"),
    path("outreach/alerts/<int:pk>/approve/", views.staff_alert_approve, name="staff-alert-approve"),
    path("outreach/alerts/<int:pk>/withdraw/", views.staff_alert_withdraw, name="staff-alert-withdraw"),
    # The field app sends attendance recorded offline here (JSON).
    path(
        "outreach/events/<int:pk>/attendance/queue/",
        views.staff_event_attendance_queue,
        name="staff-event-attendance-queue",
    ),
]
