from django.urls import path

from . import views

app_name = "liaison"
urlpatterns = [
    path("liaisons/", views.directory, name="directory"),
    path("contacts/", views.contact_list, name="contact-list"),
    path("contacts/new/", views.contact_new, name="contact-new"),
    # The field app sends what a liaison saved offline here (JSON).
    path("contacts/queue/", views.contact_queue, name="contact-queue"),
    path("contacts/<int:pk>/saved/", views.contact_saved, name="contact-saved"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact-delete"),
]
