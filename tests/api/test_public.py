"""The public read API for partner websites, CORS for reads only, and JSON errors outside
the views (unknown addresses, refused input)."""

import pytest
from django.utils import timezone

from tests.factories import CommunityFactory, ConcernFactory, OutreachEventFactory, concern_category

pytestmark = pytest.mark.django_db
EVENTS = "/api/v1/public/events/"


def test_upcoming_events_in_the_language_asked_with_the_fallback_marked(client):
    somali = CommunityFactory(name_en="Somali", name_ar="الصومالية", slug="somali")
    OutreachEventFactory(
        status="published",
        title_en="Meet your liaison",
        title_ar="تعرّف على ضابط الاتصال",
        communities=[somali],
    )
    OutreachEventFactory(status="draft", title_en="Not yet public")
    body = client.get(EVENTS, {"locale": "ar"}).json()
    assert body["count"] == 1
    (event,) = body["results"]
    assert event["title"] == "تعرّف على ضابط الاتصال" and event["locale"]["title"] == "ar"
    assert event["communities"] == [{"slug": "somali", "name": "الصومالية", "locale": "ar"}]
    assert event["url"].endswith(f"/ar/events/{event['id']}/")
    so = client.get(EVENTS, {"locale": "so"}).json()["results"][0]
    assert so["title"] == "Meet your liaison" and so["locale"]["title"] == "en"
    assert client.get(EVENTS, {"community": "nobody"}).status_code == 404
    assert client.get(EVENTS, {"page": "9"}).json()["error"]["code"] == "not_found"


def test_you_said_we_did_in_the_language_asked(client):
    ConcernFactory(
        category=concern_category("safety"),
        status="action_taken",
        published=True,
        published_at=timezone.now(),
        closed_at=timezone.now(),
        public_summary_en="Residents asked for lighting; the city fixed it.",
        public_summary_es="Los vecinos pidieron luz; la ciudad la arregló.",
    )
    ConcernFactory(public_summary_en="Not published")
    (item,) = client.get("/api/v1/public/you-said-we-did/", HTTP_ACCEPT_LANGUAGE="es").json()["results"]
    assert item["summary"] == "Los vecinos pidieron luz; la ciudad la arregló."
    assert item["locale"]["summary"] == "es" and item["category"]


def test_cors_allows_reads_from_any_site_and_only_on_the_public_api(client):
    origin = {"HTTP_ORIGIN": "https://partner.example"}
    read = client.get(EVENTS, **origin)
    assert read["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(EVENTS, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST", **origin)
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
    assert client.post(EVENTS, {}, **origin).status_code == 405
    assert "Access-Control-Allow-Origin" not in client.get("/api/v1/contacts/", **origin)
    assert "Access-Control-Allow-Origin" not in client.post("/open311/v2/requests.json", {}, **origin)


def test_unknown_api_addresses_and_bad_input_answer_json(client):
    response = client.get("/api/v1/nothing/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["error"] == {
        "code": "not_found", "message": response.json()["error"]["message"], "locale": "fr", "fields": {},
    }  # fmt: skip
    assert client.get("/open311/v2/services.csv").json()[0]["code"] == 404
    nul = client.get("/open311/v2/services.json?locale=%00")
    assert nul.status_code == 400 and nul.json()[0]["error"] == "bad_request"
    # The pages keep their HTML.
    assert client.get("/en/no-such-page/")["Content-Type"].startswith("text/html")


def test_schema_is_public_openapi_3(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/open311/v2/services.json", "/api/v1/contacts/", "/api/v1/figures/"} <= set(schema["paths"])
    assert not any(p.endswith(".xml") for p in schema["paths"])


def test_only_what_everyone_sees_alike_may_be_cached(client):
    concern = ConcernFactory()
    shared = client.get(EVENTS, HTTP_ACCEPT_LANGUAGE="ar")
    assert shared["Cache-Control"] == "public, max-age=60" and "Accept-Language" in shared["Vary"]
    for private in (
        client.get(f"/open311/v2/requests/{concern.code}.json"),
        client.post("/open311/v2/requests.json", {"service_code": "safety", "description": "x"}),
        client.get("/api/v1/contacts/"),
    ):
        assert private["Cache-Control"] == "no-store"


def test_calls_without_a_token_are_limited_per_address(client, api_rates):
    from django.core.cache import cache

    api_rates(public="2/min")
    for url in ("/api/v1/contacts/", "/open311/v2/services.json", EVENTS):
        cache.clear()
        codes = [client.get(url).status_code for _ in range(3)]
        assert codes[-1] == 429 and codes[0] in (200, 401), (url, codes)
