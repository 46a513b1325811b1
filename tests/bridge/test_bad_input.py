"""NUL bytes and malformed codes, slugs or encodings get a 400 or 404 page in the visitor's
language, never a 500 (PostgreSQL refuses NUL in a string). Error pages say what happened and
where to go next, and the 400 and 500 pages render without the database or the session."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from bridge import errors
from feedback.models import Concern
from tests.factories import CommunityFactory, ConcernFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    # A 500 must come back as a response to assert on, not as the exception.
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/en/unsubscribe/%00/",
        "/es/unsubscribe/abc%00def:1tX:sig/",
        "/events/calendar.ics?community=%00",
        "/events/calendar.ics?community=bhutanese%00",
        "/en/concerns/track/%00/",
        "/en/concerns/track/?code=%00",
        "/en/events/?community=%00",
        "/en/subscribe/confirm/%00/",
        "/en/you-said-we-did/?page=%00",
        "/ar/%00/",
        "/en/accounts/login/?next=%00",
        "/en/events/1/%01/",
    ],
)
def test_bad_input_nul_in_path_or_query_is_a_400_page(client, url):
    response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-400"' in html
    assert "Where to go next" in html or 'lang="ar"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/en/concerns/track/%ff/",  # not UTF-8
        "/en/unsubscribe/%ed%a0%80/",  # a lone surrogate, percent-encoded
        "/en/?q=%ed%b0%80",
        "/en/events/?community=%c3",
        "/en/events/?community=100%",  # a percent sign that starts no escape
        "/events/calendar.ics?community=%zz",
    ],
)
def test_bad_input_malformed_encoding_is_a_400_page(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert 'id="error-400"' in response.content.decode()


def test_bad_input_400_page_is_in_the_visitor_language(client):
    response = client.get("/es/unsubscribe/%00/")
    html = response.content.decode()
    assert response.status_code == 400
    assert 'lang="es"' in html
    assert 'id="error-400"' in html
    rtl = client.get("/ar/concerns/track/%00/").content.decode()
    assert 'lang="ar"' in rtl and 'dir="rtl"' in rtl
    # The calendar lives outside the language prefix: the browser's language decides.
    feed = client.get("/events/calendar.ics?community=%00", HTTP_ACCEPT_LANGUAGE="ar")
    assert feed.status_code == 400 and 'lang="ar"' in feed.content.decode()


@pytest.fixture
def concern_form_data():
    from feedback.models import ConcernCategory

    def make(**overrides):
        category = ConcernCategory.objects.get(slug="safety")
        return {
            "category": category.pk,
            "text": "A car drives too fast.",
            "contact_method": "none",
            "language": "en",
            **overrides,
        }

    return make


def test_bad_input_nul_in_a_form_field_or_key_is_a_400_and_saves_nothing(client, concern_form_data):
    assert client.post("/en/concerns/new/", concern_form_data(place="Penn\x00Avenue")).status_code == 400
    assert client.post("/en/concerns/new/", {**concern_form_data(), "x\x00": "1"}).status_code == 400
    assert client.post("/en/concerns/track/", {"code": "\x00"}).status_code == 400
    assert client.post("/en/subscribe/", {"address": "a@example.org\x00"}).status_code == 400
    assert client.post("/en/accounts/login/", {"username": "a\x00", "password": "x"}).status_code == 400
    assert Concern.objects.count() == 0


def test_bad_input_nul_in_a_cookie_is_a_400_and_never_reaches_the_session(client, django_assert_num_queries):
    client.raise_request_exception = True
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    with django_assert_num_queries(0):
        response = client.get("/en/")
    assert response.status_code == 400
    # The broken cookie is dropped, so the next visit works.
    assert response.cookies["sessionid"].value == ""


def test_bad_input_nul_in_other_cookies_is_a_400(client):
    client.cookies["django_language"] = "es\x00"
    client.cookies["csrftoken"] = "\x00"
    response = client.get("/en/")
    assert response.status_code == 400 and 'id="error-400"' in response.content.decode()


def test_bad_input_well_formed_requests_pass(client):
    community = CommunityFactory(slug="bhutanese")
    assert client.get(f"/events/calendar.ics?community={community.slug}").status_code == 200
    assert client.get("/en/?q=caf%C3%A9+%E2%80%8F").status_code == 200
    assert client.get("/en/concerns/track/K7QM%204XPT%209H/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/events/calendar.ics?community=nobody-here",
        "/events/calendar.ics?community=" + "a" * 5000,
        "/events/calendar.ics?community=%D9%85",
        "/en/concerns/track/" + "Z" * 500 + "/",
    ],
)
def test_bad_input_unknown_or_malformed_slug_or_code_is_a_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize("event", ["²", "١", "9" * 40, "-1", "1e3"])
def test_bad_input_calendar_event_parameter_that_is_no_number_is_ignored(client, event):
    assert client.get("/events/calendar.ics", {"event": event}).status_code == 200


@pytest.mark.parametrize("token", ["a b", "<script>", "é" * 3, "x" * 300, "abc%01"])
def test_bad_input_malformed_unsubscribe_token_explains_in_the_visitor_language(client, token):
    from urllib.parse import quote

    response = client.get(f"/es/unsubscribe/{quote(token)}/")
    assert response.status_code == 400
    assert 'lang="es"' in response.content.decode()


def test_error_404_page_says_what_happened_and_where_to_go_next(client):
    response = client.get("/es/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'id="error-404"' in html and 'lang="es"' in html
    assert 'href="/es/concerns/track/"' in html
    assert "911" in html


def test_error_403_page_is_in_the_visitor_language(client, role_user):
    client.force_login(role_user("Commander"))
    concern = ConcernFactory()
    response = client.post(f"/ar/concerns/queue/{concern.pk}/assign/", {"assignee": ""})
    html = response.content.decode()
    assert response.status_code == 403
    assert 'id="error-403"' in html and 'dir="rtl"' in html


def test_error_500_page_needs_no_database_no_session_and_names_the_emergency_number(
    settings, django_assert_num_queries
):
    settings.EMERGENCY_NUMBER = "112"
    request = RequestFactory().get("/es/concerns/track/")
    with translation.override("es"), django_assert_num_queries(0):
        response = errors.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert 'id="error-500"' in html and 'lang="es"' in html
    assert "112" in html
    # The language switcher still works: each language's home page.
    assert 'href="/ar/"' in html and 'href="/ne/"' in html


def test_error_500_from_a_failing_view_is_the_translated_page(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database fell over")

    monkeypatch.setattr("feedback.selectors.concern_by_code", broken)
    response = client.get("/ar/concerns/track/K7QM-4XPT-9H/")
    html = response.content.decode()
    assert response.status_code == 500
    assert 'id="error-500"' in html and 'dir="rtl"' in html
    assert "database fell over" not in html


def test_error_400_handler_renders_without_the_session(django_assert_num_queries):
    request = RequestFactory().get("/en/")
    with translation.override("en"), django_assert_num_queries(0):
        response = errors.bad_request(request, None)
    assert response.status_code == 400
    assert "In an emergency, call 911." in response.content.decode()


def test_bad_input_sign_in_with_a_very_long_username_is_not_a_server_error(client):
    client.raise_request_exception = True
    response = client.post("/en/accounts/login/", {"username": "a" * 1000, "password": "x"})
    assert response.status_code < 500


@pytest.mark.parametrize(("lang", "words"), [("en", "This form has expired"), ("ar", 'dir="rtl"')])
def test_bad_input_a_form_without_its_csrf_token_is_explained_in_the_visitors_language(lang, words):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/{lang}/concerns/new/", {"text": "The light is out"})
    assert response.status_code == 403
    html = response.content.decode()
    assert words in html and 'id="error-csrf"' in html
    assert "CSRF" not in html  # no developer words for a community member


def test_error_400_page_offers_only_the_languages_the_agency_offers(client):
    # An agency that offers English and Spanish: its error page links to no other language,
    # as every other page of it does not.
    from agencies import context
    from agencies import services as agency_services
    from agencies.models import Agency

    agency = Agency.objects.get(pk=context.default_agency_id())
    agency.languages, agency.default_language = ["en", "es"], "en"
    agency_services.agency_update(agency=agency, fields=["languages", "default_language"])
    html = client.get("/en/concerns/track/%00/").content.decode()
    assert 'id="error-400"' in html
    assert 'hreflang="es"' in html
    assert 'hreflang="ar"' not in html and 'hreflang="fr"' not in html
