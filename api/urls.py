"""Mounted outside the language prefix: an integration keeps one address, and asks for a
language with `locale` or Accept-Language (api.languages)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import open311, public, views

app_name = "api"


def _open311(route: str, view, name: str):
    return [
        path(f"open311/v2/{route}.json", view, {"format": "json"}, name=name),
        path(f"open311/v2/{route}.xml", view, {"format": "xml"}, name=f"{name}-xml"),
    ]


urlpatterns = [
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("api/v1/contacts/", views.Contacts.as_view(), name="contacts"),
    path("api/v1/contacts/<int:pk>/", views.ContactDetail.as_view(), name="contact"),
    path("api/v1/events/", views.Events.as_view(), name="events"),
    path("api/v1/events/<int:pk>/", views.EventDetail.as_view(), name="event"),
    path("api/v1/events/<int:pk>/attendance/", views.EventAttendance.as_view(), name="event-attendance"),
    path("api/v1/figures/", views.Figures.as_view(), name="figures"),
    path("api/v1/public/events/", public.PublicEvents.as_view(), name="public-events"),
    path(
        "api/v1/public/you-said-we-did/", public.PublicYouSaidWeDid.as_view(), name="public-you-said-we-did"
    ),
    *_open311("services", open311.Services.as_view(), "open311-services"),
    *_open311("services/<str:code>", open311.ServiceDefinition.as_view(), "open311-service"),
    *_open311("requests", open311.Requests.as_view(), "open311-requests"),
    *_open311("requests/<str:code>", open311.Request.as_view(), "open311-request"),
]
