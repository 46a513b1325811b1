"""Open311 GeoReport v2, field by field against the specification's names and types, in
English and Arabic, and the locale extension."""

import datetime as dt
import re
from xml.etree import ElementTree as ET

import pytest

from feedback.models import Concern
from feedback.services import concern_set_status
from messaging.models import Message
from tests.factories import CommunityFactory, ConcernFactory, concern_category

pytestmark = pytest.mark.django_db

SERVICE_KEYS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
REQUEST_KEYS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
}  # fmt: skip
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")


def _get(client, path, **params):
    response = client.get(path, params)
    return response, response.json()


@pytest.mark.parametrize(
    "locale,expect", [("en", "A safety concern in my neighbourhood"), ("ar", "مشكلة تتعلق بالسلامة في حيّي")]
)
def test_services_lists_categories_named_in_the_locale_with_the_911_notice(client, locale, expect):
    response, services = _get(client, "/open311/v2/services.json", locale=locale)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response["Content-Language"] == locale
    safety = next(s for s in services if s["service_code"] == "safety")
    assert SERVICE_KEYS <= set(safety)
    assert safety["service_name"] == expect
    assert safety["metadata"] is True and safety["type"] == "realtime"
    assert all(isinstance(safety[k], str) for k in SERVICE_KEYS - {"metadata"})
    assert "911" in safety["description"]
    assert safety["locale"] == {"service_name": locale, "description": locale}
    if locale == "ar":
        assert "الطوارئ" in safety["description"]


def test_services_falls_back_along_the_declared_chain_and_says_so(client):
    # A category not yet named in Somali: English, marked as English.
    concern_category("safety").__class__.objects.filter(slug="safety").update(name_so="")
    _r, services = _get(client, "/open311/v2/services.json", locale="so-SO")
    safety = next(s for s in services if s["service_code"] == "safety")
    assert safety["service_name"] == "A safety concern in my neighbourhood"
    assert safety["locale"]["service_name"] == "en"
    assert safety["locale"]["description"] == "so"


def test_accept_language_is_read_when_there_is_no_locale(client):
    response = client.get("/open311/v2/services.json", HTTP_ACCEPT_LANGUAGE="ar-EG,ar;q=0.9,en;q=0.5")
    assert response["Content-Language"] == "ar"
    # An explicit locale wins over the header; an unknown one falls back to the default.
    assert (
        client.get("/open311/v2/services.json?locale=es", HTTP_ACCEPT_LANGUAGE="ar")["Content-Language"]
        == "es"
    )
    assert client.get("/open311/v2/services.json?locale=tlh")["Content-Language"] == "en"


def test_service_definition_lists_the_form_fields(client):
    CommunityFactory(name_en="Somali", slug="somali")
    response, definition = _get(client, "/open311/v2/services/safety.json", locale="ar")
    assert response.status_code == 200
    assert definition["service_code"] == "safety"
    codes = {a["code"]: a for a in definition["attributes"]}
    assert set(codes) == {"emergency", "community", "contact_method", "language"}
    for attribute in definition["attributes"]:
        assert isinstance(attribute["variable"], bool) and isinstance(attribute["required"], bool)
        assert attribute["datatype"] in {
            "string",
            "number",
            "datetime",
            "text",
            "singlevaluelist",
            "multivaluelist",
        }
        assert isinstance(attribute["order"], int) and isinstance(attribute["description"], str)
    assert codes["emergency"]["variable"] is False and "911" in codes["emergency"]["description"]
    assert {"key": "somali", "name": "Somali"} in codes["community"]["values"]
    assert {v["key"] for v in codes["contact_method"]["values"]} == {"none", "email", "phone"}
    assert {"so", "ar", "zh-Hans", "pt-BR"} <= {v["key"] for v in codes["language"]["values"]}


def test_unknown_service_is_a_json_404_in_the_locale(client):
    response, errors = _get(client, "/open311/v2/services/nothing-here.json", locale="ar")
    assert response.status_code == 404
    assert errors[0]["code"] == 404 and errors[0]["error"] == "service_not_found"
    assert errors[0]["locale"] == "ar" and "services.json" in errors[0]["description"]
    assert not re.search(r"[a-z]{4,} [a-z]{4,}", errors[0]["description"].replace("services.json", ""))


def test_anonymous_request_answers_the_tracking_code_and_stores_no_address(client):
    response = client.post(
        "/open311/v2/requests.json",
        {
            "service_code": "safety",
            "description": "The light at the bus stop is out.",
            "lat": "40.7128",
            "long": "-74.006",
        },
    )
    assert response.status_code == 201, response.content
    (created,) = response.json()
    assert set(created) >= {"service_request_id", "token", "service_notice", "account_id"}
    assert created["service_request_id"] == created["token"]
    concern = Concern.objects.get()
    assert created["token"] == concern.code_display
    assert concern.contact_method == "none" and concern.email == "" and concern.phone == ""
    assert concern.place == "40.71280, -74.00600"
    assert "911" in created["service_notice"]


def test_request_status_shows_only_the_public_status_page(client):
    concern = ConcernFactory(
        category=concern_category("safety"),
        contact_method="email",
        email="amina@example.org",
        place="Main Street and 5th",
        public_response_en="We fixed the light.",
        public_response_ar="أصلحنا الضوء.",
        status="action_taken",
    )
    for locale, notes in (("en", "We fixed the light."), ("ar", "أصلحنا الضوء.")):
        response, (request,) = _get(
            client, f"/open311/v2/requests/{concern.code_display}.json", locale=locale
        )
        assert response.status_code == 200
        assert REQUEST_KEYS <= set(request)
        assert request["service_request_id"] == concern.code_display
        assert request["status"] == "closed" and request["status_notes"] == notes
        assert request["locale"]["status_notes"] == locale
        assert ISO.match(request["requested_datetime"]) and ISO.match(request["updated_datetime"])
        for withheld in ("description", "address", "lat", "long", "media_url", "zipcode"):
            assert request[withheld] is None
        text = response.content.decode()
        assert "amina" not in text and "Main Street" not in text and concern.text not in text


def test_requests_list_needs_tracking_codes_and_never_lists_everything(client):
    a, b = ConcernFactory(), ConcernFactory(status="in_review")
    ConcernFactory()
    response, errors = _get(client, "/open311/v2/requests.json")
    assert response.status_code == 400 and errors[0]["error"] == "request_ids_required"
    response, found = _get(
        client, "/open311/v2/requests.json", service_request_id=f"{a.code},{b.code_display},ZZZZ"
    )
    assert [r["service_request_id"] for r in found] == [a.code_display, b.code_display]
    assert {r["status"] for r in found} == {"open"}


def test_unknown_request_is_a_json_404(client):
    response, errors = _get(client, "/open311/v2/requests/AAAA-BBBB-CC.json", locale="es")
    assert response.status_code == 404 and errors[0]["error"] == "not_found" and errors[0]["locale"] == "es"


def test_bad_request_gets_each_field_message_in_the_locale_and_stores_nothing(client):
    response = client.post(
        "/open311/v2/requests.json",
        {
            "service_code": "safety",
            "description": "",
            "email": "not-an-address",
            "lat": "91",
            "long": "0",
            "locale": "es",
        },
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors[0]["error"] == "validation_failed" and errors[0]["locale"] == "es"
    text = " ".join(e["description"] for e in errors)
    assert "description: Cuéntenos qué pasó." in text or "description:" in text
    assert "email:" in text and "lat:" in text
    assert not Concern.objects.exists()


def test_honeypot_is_refused_and_counts_against_the_limit(client, settings):
    settings.FEEDBACK_SUBMIT_RATE = "2/h"
    trap = {"service_code": "safety", "description": "Buy now", "website": "http://spam.example"}
    assert client.post("/open311/v2/requests.json", trap).json()[0]["error"] == "spam_refused"
    client.post("/open311/v2/requests.json", trap)
    real = {"service_code": "safety", "description": "A real concern."}
    response = client.post("/open311/v2/requests.json", real)
    assert response.status_code == 429 and response.json()[0]["error"] == "rate_limited"
    assert int(response["Retry-After"]) > 0
    assert not Concern.objects.exists()


def test_the_web_form_and_open311_share_one_limit(client, settings):
    settings.FEEDBACK_SUBMIT_RATE = "1/h"
    assert (
        client.post(
            "/open311/v2/requests.json", {"service_code": "safety", "description": "One."}
        ).status_code
        == 201
    )
    page = client.post(
        "/en/concerns/new/",
        {"category": concern_category().pk, "text": "Two.", "contact_method": "none", "language": "en"},
    )
    assert page.status_code == 429
    assert Concern.objects.count() == 1


def test_json_body_is_accepted_too(client):
    response = client.post(
        "/open311/v2/requests.json",
        {"service_code": "compliment", "description": "Thank you", "attribute[contact_method]": "none"},
        content_type="application/json",
    )
    assert response.status_code == 201


def test_xml_answers_with_the_specification_element_names(client):
    ConcernFactory(category=concern_category("safety"))
    root = ET.fromstring(client.get("/open311/v2/services.xml", {"locale": "ar"}).content)  # noqa: S314 - our own answer
    assert root.tag == "services"
    service = root.find("service")
    assert service.find("service_code") is not None and service.find("metadata").text in {"true", "false"}
    errors = ET.fromstring(client.get("/open311/v2/services/none.xml").content)  # noqa: S314
    assert errors.tag == "errors" and errors.find("error/code").text == "404"


def test_a_request_made_in_somali_gets_its_status_notice_in_somali(
    client, role_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/open311/v2/requests.json",
            {"service_code": "safety", "description": "Nalka ayaa damay.", "email": "caasha@example.org"},
            HTTP_ACCEPT_LANGUAGE="so",
        )
    assert response.status_code == 201
    concern = Concern.objects.get()
    assert concern.language == "so"
    coordinator = role_user("Coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        concern_set_status(
            actor=coordinator,
            concern=concern,
            status="action_taken",
            responses={"so": "Waan hagaajinay nalka.", "en": "We fixed the light."},
        )
    notice = Message.objects.filter(key__contains=":status:").get()
    assert notice.language == "so" and "Waan hagaajinay nalka." in notice.body
    assert "We fixed the light." not in notice.body
    assert notice.address == "caasha@example.org"
    _r, (status,) = _get(client, f"/open311/v2/requests/{concern.code_display}.json", locale="so")
    assert status["status_notes"] == "Waan hagaajinay nalka." and status["locale"]["status_notes"] == "so"
    assert dt.datetime.fromisoformat(status["updated_datetime"]) >= dt.datetime.fromisoformat(
        status["requested_datetime"]
    )


def test_tracking_codes_in_open311_addresses_stay_out_of_logs():
    from bridge.logs import redact

    line = "GET /open311/v2/requests/k7qm4xpt9h.json?locale=so and /open311/v2/requests.json?service_request_id=AB,CD"
    assert "k7qm4xpt9h" not in redact(line) and "AB,CD" not in redact(line)
    assert "/open311/v2/requests/[code]" in redact(line)


def test_locale_in_a_json_body_chooses_the_language_and_is_recorded(client):
    response = client.post(
        "/open311/v2/requests.json",
        {"service_code": "safety", "description": "Nalka ayaa damay.", "locale": "so"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response["Content-Language"] == "so"
    assert Concern.objects.get().language == "so"


def test_nul_in_an_open311_json_body_is_a_400_and_stores_nothing(client):
    response = client.post(
        "/open311/v2/requests.json",
        {"service_code": "safety\x00", "description": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()[0]["error"] == "bad_request"
    assert not Concern.objects.exists()


def test_a_not_actionable_reason_is_marked_undetermined_and_xml_stays_well_formed(client):
    concern = ConcernFactory(status="not_actionable", not_actionable_reason="Outside\x0cour area\x1b")
    _r, (request,) = _get(client, f"/open311/v2/requests/{concern.code}.json", locale="es")
    assert request["status_notes"].startswith("Outside") and request["locale"]["status_notes"] == "und"
    root = ET.fromstring(client.get(f"/open311/v2/requests/{concern.code}.xml").content)  # noqa: S314
    assert root.find("request/status_notes").text == "Outsideour area"
