from django.urls import path
from django.utils.translation import gettext_lazy as _

from bridge.views import placeholder

app_name = "feedback"
urlpatterns = [
    path("concerns/new/", placeholder, {"title": _("Tell us about a concern")}, name="concern-new"),
    path("concerns/track/", placeholder, {"title": _("Follow your concern")}, name="concern-track"),
    path("you-said-we-did/", placeholder, {"title": _("You said, we did")}, name="you-said-we-did"),
]
