from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from outreach import sms_replies

from . import views
from .staff import translators

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("events/", include("outreach.feed_urls")),
    # Twilio posts the texts people send back (STOP, START, HELP) here: one address, any language.
    path("sms/inbound/", sms_replies.sms_inbound, name="sms-inbound"),
    # At the root so it controls every page (a worker's scope is its own folder and below).
    path("sw.js", views.service_worker, name="service-worker"),
    # The REST API, its schema and Open311 (api/): one address per integration, any language.
    path("", include("api.urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("offline/", views.offline_page, name="offline"),
    path("staff/", views.staff_home, name="staff-home"),
    # Before Django's own: the throttled reset through the outbox, and the second factor.
    path("", include("bridge.staff.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("liaison.urls")),
    path("", include("outreach.urls")),
    path("", include("feedback.urls")),
    path("", include("surveys.urls")),
    path("", include("policies.urls")),
    path("", include("engagement.urls")),
    path("", include("agencies.urls")),
    path("", include("dashboard.urls")),
    path("staff/audit/", include("audit.urls")),
    path("", include("api.page_urls")),
    # django-rosetta, for translators only (bridge.staff.translators).
    path("staff/translations/", include(translators.urlpatterns())),
    prefix_default_language=True,
)

# 400 and 500 pages are rendered from settings alone (no session, no database); 403 and 404
# use Django's handlers with templates/403.html and 404.html.
handler400 = "bridge.errors.bad_request"
handler404 = "bridge.errors.not_found"
handler500 = "bridge.errors.server_error"

admin.site.site_header = _("Bridge administration")
admin.site.site_title = _("Bridge")
