"""Every URL pattern, walked as an anonymous visitor, a liaison, a commander and a coordinator
(each signed in with the second factor): the status each gets is pinned here. A new URL
without a row fails the test, so nobody adds a page without deciding who may open it."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from dashboard.models import ExportJob
from engagement.models import EngagementRequest
from liaison.models import Assignment
from outreach.models import SafetyAlert
from policies import services as policy_services
from surveys.models import SurveyResponse
from tests.factories import (
    ConcernFactory,
    ContactFactory,
    LiaisonFactory,
    OutreachEventFactory,
    SubscriberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "liaison", "commander", "coordinator")
LOGIN = "login"  # a redirect to the sign-in page
ANY_REDIRECT = "redirect"

# url name -> expected GET status for (anonymous, liaison, commander, coordinator).
# Writes that only accept POST answer 405 to GET once the role may reach them.
EXPECTED = {
    "healthz": (200, 200, 200, 200),
    "favicon": (301, 301, 301, 301),
    "set_language": (ANY_REDIRECT,) * 4,
    "calendar": (200, 200, 200, 200),
    # Twilio's webhook for SMS replies: POST only, signed by Twilio rather than signed in.
    "sms-inbound": (405, 405, 405, 405),
    "home": (200, 200, 200, 200),
    "privacy": (200, 200, 200, 200),
    "staff-home": (LOGIN, ANY_REDIRECT, ANY_REDIRECT, ANY_REDIRECT),
    "password_reset": (200, 200, 200, 200),
    "mfa-verify": (LOGIN, ANY_REDIRECT, ANY_REDIRECT, ANY_REDIRECT),  # verified already: on to the page
    "mfa-setup": (LOGIN, ANY_REDIRECT, ANY_REDIRECT, ANY_REDIRECT),  # changing it asks for a code again
    "security": (LOGIN, 200, 200, 200),
    "recovery-codes": (LOGIN, 405, 405, 405),
    "login": (200, 200, 200, 200),
    "logout": (LOGIN, 405, 405, 405),
    "password_change": (LOGIN, 200, 200, 200),
    "password_change_done": (LOGIN, 200, 200, 200),
    "password_reset_done": (200, 200, 200, 200),
    "password_reset_confirm": (200, 200, 200, 200),  # an invalid link says so
    "password_reset_complete": (200, 200, 200, 200),
    "directory": (200, 200, 200, 200),
    "contact-list": (LOGIN, 200, 200, 200),
    "contact-new": (LOGIN, 200, 403, 403),  # only a liaison with a profile logs contacts
    # The field app's queue: a GET hands out a CSRF token; sending refuses all but a liaison.
    "contact-queue": (LOGIN, 200, 200, 200),
    "service-worker": (200, 200, 200, 200),
    "manifest": (200, 200, 200, 200),
    "offline": (200, 200, 200, 200),
    "contact-saved": (LOGIN, 200, 403, 200),
    "contact-edit": (LOGIN, 200, 403, 200),
    "contact-delete": (LOGIN, 200, 403, 200),
    "event-list": (200, 200, 200, 200),
    "event-detail": (200, 200, 200, 200),
    "event-flyer": (200, 200, 200, 200),
    "subscribe": (200, 200, 200, 200),
    "subscribe-done": (200, 200, 200, 200),
    "subscribe-confirm": (400, 400, 400, 400),  # a made-up token
    "unsubscribe": (200, 200, 200, 200),
    "staff-events": (LOGIN, 200, 200, 200),
    "staff-event-new": (LOGIN, 200, 403, 200),
    "staff-event-edit": (LOGIN, 200, 403, 200),
    "staff-event-publish": (LOGIN, 405, 403, 405),
    "staff-event-cancel": (LOGIN, 200, 403, 200),
    "staff-event-attendance": (LOGIN, 200, 403, 200),
    "staff-event-attendance-queue": (LOGIN, 200, 200, 200),
    "alert-list": (200, 200, 200, 200),
    "alert-detail": (200, 200, 200, 200),
    "alert-feed": (200, 200, 200, 200),
    "staff-alerts": (LOGIN, 200, 200, 200),  # commanders read them
    "staff-alert-new": (LOGIN, 200, 403, 200),
    "staff-alert-edit": (LOGIN, 200, 403, 200),
    "staff-alert-submit": (LOGIN, 405, 403, 405),
    "staff-alert-approve": (LOGIN, 403, 403, 200),  # coordinators only: the preview, then POST
    "staff-alert-withdraw": (LOGIN, 403, 403, 405),
    "concern-new": (200, 200, 200, 200),
    "concern-submitted": (ANY_REDIRECT,) * 4,  # nothing submitted in this browser
    "concern-track": (200, 200, 200, 200),
    "concern-status": (200, 200, 200, 200),
    "you-said-we-did": (200, 200, 200, 200),
    "followup": (404, 404, 404, 404),  # a made-up token
    "pulse": (200, 200, 200, 200),
    "event-survey": (200, 200, 200, 200),
    "thanks": (200, 200, 200, 200),
    "card": (200, 200, 200, 200),  # language-access cards to print
    "comments": (LOGIN, 200, 200, 200),  # staff read survey comments
    "comment": (LOGIN, 200, 200, 200),
    "comment-mark": (LOGIN, 405, 405, 405),
    "comment-publish": (LOGIN, 403, 403, 405),  # coordinators publish an edited copy
    "concern-queue": (LOGIN, 200, 200, 200),
    "concern-detail": (LOGIN, 200, 200, 200),
    "concern-assign": (LOGIN, 403, 403, 405),  # coordinators only: assigning shows the address
    "concern-change-status": (LOGIN, 405, 403, 405),
    "concern-add-note": (LOGIN, 405, 403, 405),
    "concern-publish": (LOGIN, 405, 403, 405),
    "export": (LOGIN, 403, 200, 200),
    "export_jobs": (LOGIN, 403, 200, 200),
    # The regional view: a regional analyst's only (Membership.regional_analyst); none of the
    # matrix's roles is one (tests/dashboard/test_regional.py walks the analyst's side).
    "regional": (LOGIN, 403, 403, 403),
    "regional-export": (LOGIN, 403, 403, 403),
    # Another member of staff's export job: a 404 to everyone else, never a 403 confirming it.
    "export_job": (LOGIN, 403, 404, 404),
    "export_download": (LOGIN, 403, 404, 404),
    "trail": (LOGIN, 403, 403, 200),
    # API tokens: every member of staff has the page; revoking is a POST.
    "api-tokens": (LOGIN, 200, 200, 200),
    "api-token-revoke": (LOGIN, 405, 405, 405),
    "api-docs": (200, 200, 200, 200),
    "schema": (200, 200, 200, 200),
    # The staff API reads a token, never the session: signed in on the web is still a 401.
    "contacts": (401, 401, 401, 401),
    "contact": (401, 401, 401, 401),
    "events": (401, 401, 401, 401),
    "event": (401, 401, 401, 401),
    "event-attendance": (401, 401, 401, 401),
    "figures": (401, 401, 401, 401),
    "public-events": (200, 200, 200, 200),
    "public-you-said-we-did": (200, 200, 200, 200),
    "open311-services": (200, 200, 200, 200),
    "open311-services-xml": (200, 200, 200, 200),
    "open311-service": (200, 200, 200, 200),
    "open311-service-xml": (200, 200, 200, 200),
    "open311-requests": (400, 400, 400, 400),  # no tracking codes asked for: nothing is listed
    "open311-requests-xml": (400, 400, 400, 400),
    "open311-request": (200, 200, 200, 200),
    "open311-request-xml": (200, 200, 200, 200),
    # django-rosetta: translators and superusers only (tests/languages/test_translators.py).
    "rosetta-old-home-redirect": (LOGIN, 403, 403, 403),
    "rosetta-file-list-redirect": (LOGIN, 403, 403, 403),
    "rosetta-file-list": (LOGIN, 403, 403, 403),
    "rosetta-form": (LOGIN, 403, 403, 403),
    "rosetta-download-file": (LOGIN, 403, 403, 403),
    "rosetta.translate_text": (LOGIN, 403, 403, 403),
    # Policy pages (policies/): public to read, coordinators publish.
    "policies:list": (200, 200, 200, 200),
    "policies:detail": (200, 200, 200, 200),
    "policies:version": (200, 200, 200, 200),
    "policies:staff-list": (LOGIN, 403, 403, 200),
    "policies:staff-new": (LOGIN, 403, 403, 200),
    "policies:staff-publish": (LOGIN, 403, 403, 200),
    # The agency's own settings (agencies/): its coordinators; its logo, public (none yet: 404).
    "agencies:settings": (LOGIN, 403, 403, 200),
    "agencies:logo": (404, 404, 404, 404),
    # The admin's main pages: staff (coordinators) only, second factor included.
    # Engagement requests: commanders and coordinators see all, a liaison those assigned to them
    # (the matrix's request is assigned to the liaison); the coordinator assigns.
    "engagement:list": (LOGIN, 200, 200, 200),
    "engagement:new": (LOGIN, 403, 200, 200),
    "engagement:detail": (LOGIN, 200, 200, 200),
    "engagement:assign": (LOGIN, 403, 403, 200),
    "engagement:move": (LOGIN, 405, 405, 405),
    "engagement:link": (LOGIN, 200, 403, 200),
    "engagement:log-contact": (LOGIN, 200, 403, 403),  # only an assigned liaison logs a contact for it
    "admin:index": (LOGIN, LOGIN, LOGIN, 200),
    "admin:auth_user_changelist": (LOGIN, LOGIN, LOGIN, 200),
    "admin:auth_group_changelist": (LOGIN, LOGIN, LOGIN, 200),
    "admin:axes_accessattempt_changelist": (LOGIN, LOGIN, LOGIN, 200),
    "admin:audit_entry_changelist": (LOGIN, LOGIN, LOGIN, 200),
    "admin:liaison_contact_changelist": (LOGIN, LOGIN, LOGIN, 200),
    "admin:feedback_concern_changelist": (LOGIN, LOGIN, LOGIN, 200),
    "admin:messaging_message_changelist": (LOGIN, LOGIN, LOGIN, 200),
    "admin:outreach_outreachevent_changelist": (LOGIN, LOGIN, LOGIN, 200),
}


# Apps whose URL names repeat other apps' ("list", "detail"): their rows carry the namespace.
QUALIFIED = ("policies", "engagement", "agencies")


def app_patterns(resolver=None, prefix="", namespace=None):
    """(route, name) of every pattern outside the admin (the admin's main pages are listed by hand)."""
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("admin/"):
                continue
            yield from app_patterns(p, prefix + str(p.pattern), p.namespace or namespace)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (f"{namespace}:{p.name}" if namespace in QUALIFIED else p.name)


@pytest.fixture
def world(role_user, settings, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import SimpleRateThrottle

    # Every role opens every tracking-code page and API address from one address: more calls
    # than one visitor may make.
    settings.FEEDBACK_TRACK_RATE = "10000/h"
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"token": "10000/min", "public": "10000/min"})
    cache.clear()
    liaison = LiaisonFactory(user__username="amina")
    contact = ContactFactory(liaison=liaison)
    Assignment.objects.create(liaison=liaison, community=contact.communities.get(), starts_on=contact.date)
    event = OutreachEventFactory(status="published", created_by=liaison.user)
    concern = ConcernFactory(assignee=liaison)
    subscriber = SubscriberFactory()
    alert = SafetyAlert.objects.create(
        title="Scam", body="Beware", area="the East End", status="sent", sent_at=timezone.now()
    )
    waiting = SafetyAlert.objects.create(
        title="Pattern", body="Beware", area="the East End", status="submitted"
    )
    survey = SurveyResponse.objects.create(
        source="pulse",
        language="en",
        respect=4,
        would_contact=4,
        know_how=3,
        comment="Kind",
        comment_status="new",
    )
    clients = {"anonymous": Client()}
    for role, user in (
        ("liaison", liaison.user),
        ("commander", role_user("Commander")),
        ("coordinator", role_user("Coordinator", is_staff=True)),
    ):
        clients[role] = Client()
        clients[role].force_login(user)
    policy = policy_services.policy_create(
        actor=role_user("Coordinator"),
        kind="confidentiality",
        slug="confidentiality",
        title={"en": "Confidentiality policy"},
        body={"en": "We never ask about immigration status."},
        effective_on=dt.date(2026, 1, 1),
    )
    engagement = EngagementRequest.objects.create(subject="A pattern", requested_by=UserFactory())
    engagement.communities.set([contact.communities.get()])
    engagement.liaisons.add(liaison)
    others_job = ExportJob.objects.create(owner=UserFactory(), what="contacts", fmt="csv", language="en")
    return {
        "clients": clients,
        "kwargs": {
            "contact-saved": {"pk": contact.pk},
            "contact-edit": {"pk": contact.pk},
            "contact-delete": {"pk": contact.pk},
            "event-detail": {"pk": event.pk},
            "event-flyer": {"pk": event.pk},
            "subscribe-confirm": {"token": "made-up"},
            "unsubscribe": {"token": subscriber.unsubscribe_token},
            "concern-status": {"code": concern.code_display},
            "followup": {"token": "made-up"},
            "event-survey": {"pk": event.pk},
            "alert-detail": {"pk": alert.pk},
            **{
                name: {"pk": waiting.pk}
                for name in (
                    "staff-alert-edit",
                    "staff-alert-submit",
                    "staff-alert-approve",
                    "staff-alert-withdraw",
                )
            },
            "comment": {"pk": survey.pk},
            "comment-mark": {"pk": survey.pk},
            "comment-publish": {"pk": survey.pk},
            "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
            "export": {"what": "contacts", "fmt": "csv"},
            "export_job": {"job_id": others_job.pk},
            "export_download": {"job_id": others_job.pk},
            "rosetta-file-list": {"po_filter": "project"},
            "api-token-revoke": {"pk": 1},
            "contact": {"pk": contact.pk},
            "event": {"pk": event.pk},
            "event-attendance": {"pk": event.pk},
            "open311-service": {"code": "safety"},
            "open311-service-xml": {"code": "safety"},
            "open311-request": {"code": concern.code_display},
            "open311-request-xml": {"code": concern.code_display},
            "policies:detail": {"slug": policy.slug},
            "policies:version": {"slug": policy.slug, "number": 1},
            "policies:staff-publish": {"pk": policy.pk},
            "rosetta-form": {"po_filter": "project", "lang_id": "fr", "idx": 0},
            "rosetta-download-file": {"po_filter": "project", "lang_id": "fr", "idx": 0},
            **{
                f"engagement:{name}": {"pk": engagement.pk}
                for name in ("detail", "assign", "move", "link", "log-contact")
            },
            **{
                name: {"pk": concern.pk}
                for name in (
                    "concern-detail",
                    "concern-assign",
                    "concern-change-status",
                    "concern-add-note",
                    "concern-publish",
                )
            },
            **{
                name: {"pk": event.pk}
                for name in (
                    "staff-event-edit",
                    "staff-event-publish",
                    "staff-event-cancel",
                    "staff-event-attendance",
                    "staff-event-attendance-queue",
                )
            },
        },
    }


def test_url_role_matrix_has_a_row_for_every_url_pattern():
    names = {name for _route, name in app_patterns()}
    assert names - set(EXPECTED) == set(), "add the new URL to EXPECTED with the status each role gets"


def test_url_role_matrix(world):
    from django.urls import NoReverseMatch, reverse

    failures = []
    for name, expected in EXPECTED.items():
        kwargs = world["kwargs"].get(name, {})
        candidates = [name] if name.startswith("admin:") else _namespaced(name)
        url = None
        for candidate in candidates:
            try:
                url = reverse(candidate, kwargs=kwargs or None)
                break
            except NoReverseMatch:
                continue
        assert url, f"cannot build a URL for {name}"
        for role, want in zip(ROLES, expected, strict=True):
            response = world["clients"][role].get(url)
            got = response.status_code
            if want == LOGIN:
                ok = got == 302 and "/login/" in response["Location"]
            elif want == ANY_REDIRECT:
                ok = got in (301, 302)
            else:
                ok = got == want
            if not ok:
                failures.append(f"{name} as {role}: expected {want}, got {got} ({url})")
    assert failures == [], "\n".join(failures)


def _namespaced(name):
    """A pattern's name with the namespaces it may live in."""
    if ":" in name:  # listed with its namespace (QUALIFIED) or the admin's
        return [name]
    namespaces = ("liaison", "outreach", "feedback", "surveys", "dashboard", "audit", "api")
    return [name, *(f"{ns}:{name}" for ns in namespaces)]


def test_url_role_matrix_a_signed_in_user_without_a_role_reaches_no_staff_page():
    client = Client()
    client.force_login(UserFactory())
    for url in ("/en/contacts/", "/en/concerns/queue/", "/en/dashboard/", "/en/staff/audit/", "/admin/"):
        assert client.get(url).status_code in (302, 403), url


def test_url_role_matrix_signed_in_without_the_second_step_reaches_only_public_and_mfa_pages(world):
    """The column the second-factor middleware exists for: a liaison who typed the right
    password but no code. Every staff page and the admin send them to the code page."""
    from django.urls import NoReverseMatch, resolve, reverse

    client = Client()
    assert (
        client.post(
            "/en/accounts/login/", {"username": "amina", "password": "correct horse battery"}
        ).status_code
        == 302
    )
    failures = []
    for name in EXPECTED:
        kwargs = world["kwargs"].get(name, {})
        url = None
        for candidate in [name] if name.startswith("admin:") else _namespaced(name):
            try:
                url = reverse(candidate, kwargs=kwargs or None)
                break
            except NoReverseMatch:
                continue
        match = resolve(url)
        public = getattr(match.func, "login_required", True) is False and not name.startswith("admin:")
        exempt = getattr(match.func, "mfa_exempt", False) or name == "logout"
        if public or exempt:
            continue
        response = client.get(url)
        if not (response.status_code == 302 and "/accounts/mfa/" in response["Location"]):
            failures.append(f"{name}: {response.status_code} {response.get('Location', '')}")
    assert failures == [], "\n".join(failures)
