"""Secure defaults a user would feel: staff pages need a login and are never cached; public
pages open to everyone; the Content-Security-Policy forbids inline script and plugins."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# The views the public may open without an account. Anything else must require a login.
PUBLIC_VIEWS = {
    "home",
    "privacy",
    "healthz",
    "favicon",
    "set_language",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "directory",
    "concern-new",
    "concern-track",
    "concern-status",
    "concern-submitted",
    "you-said-we-did",
    # "Was it resolved?" (a random token) and the anonymous survey: nothing personal.
    "followup",
    "pulse",
    "event-survey",
    "thanks",
    "card",
    "event-list",
    "event-detail",
    # Policies and rights (policies/): the published pages and their earlier versions.
    "list",
    "detail",
    "version",
    # The printable flyer: community partners print it too.
    "event-flyer",
    "calendar",
    # Safety alerts: what was sent to the public, and its feed.
    "alert-list",
    "alert-detail",
    "alert-feed",
    # Twilio's webhook for SMS replies: its signature authenticates it (outreach.sms_replies).
    "sms-inbound",
    "subscribe",
    "subscribe-done",
    "subscribe-confirm",
    "unsubscribe",
    "javascript-catalog",
    # The field app: its worker, manifest and offline page hold nothing personal.
    "service-worker",
    "manifest",
    "offline",
    # The agency's logo, in every page's header (agencies.views.logo).
    "logo",
    # The API: a personal access token authenticates it (api.authentication), never a
    # session; its public parts, the schema and the documentation hold nothing personal.
    "schema",
    "api-docs",
    "contacts",
    "contact",
    "events",
    "event",
    "event-attendance",
    "figures",
    "public-events",
    "public-you-said-we-did",
    *(
        f"open311-{name}{suffix}"
        for name in ("services", "service", "requests", "request")
        for suffix in ("", "-xml")
    ),
}


def iter_patterns(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("admin/"):
                continue  # the admin has its own staff check on every view
            yield from iter_patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def test_security_every_view_needs_login_unless_it_is_a_known_public_page():
    exposed = []
    for route, pattern in iter_patterns(get_resolver()):
        public = getattr(pattern.callback, "login_required", True) is False
        if public and pattern.name not in PUBLIC_VIEWS:
            exposed.append(f"{route} ({pattern.name})")
    assert exposed == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/en/contacts/", "/en/contacts/new/", "/es/dashboard/", "/en/staff/"])
def test_security_staff_page_redirects_anonymous_visitor_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_security_staff_page_for_signed_in_user_is_no_store(client, role_user):
    client.force_login(role_user("Commander"))
    response = client.get("/en/dashboard/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_security_public_home_is_open_and_cacheable(client):
    response = client.get("/ar/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_security_csp_forbids_inline_script_objects_and_base(client):
    csp = client.get("/en/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert "unsafe-inline" not in csp


@pytest.mark.django_db
def test_security_pages_have_no_inline_script(client):
    for url in ["/en/", "/ar/", "/en/accounts/login/", "/en/privacy/"]:
        html = client.get(url).content.decode()
        assert "<script>" not in html
        assert "<script src=" in html


@pytest.mark.django_db
def test_security_liaison_cannot_open_commander_dashboard(client, role_user):
    client.force_login(role_user("Liaison officer"))
    assert client.get("/en/dashboard/").status_code == 403


@pytest.mark.django_db
def test_security_login_and_logout_round_trip_in_the_site_look(client, role_user):
    user = role_user("Liaison officer")
    page = client.get("/es/accounts/login/")
    assert page.status_code == 200
    assert 'lang="es"' in page.content.decode()
    response = client.post(
        "/es/accounts/login/", {"username": user.username, "password": "correct horse battery"}
    )
    assert response.status_code == 302
    response = client.post("/es/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/es/contacts/").status_code == 302
