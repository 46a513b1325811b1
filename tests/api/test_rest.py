"""The staff REST API: tokens (scopes, expiry, revocation, rate limits, audit), contacts,
events and attendance, and the dashboard's figures, with the web's rules and numbers."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from api.models import AccessToken
from api.services import token_revoke
from audit import events
from audit.models import Entry
from dashboard import selectors as dashboard_selectors
from liaison.models import Contact
from liaison.quarters import Quarter
from outreach.models import EventAttendance
from tests.factories import CommunityFactory, ContactFactory, LiaisonFactory, past_event

from .conftest import bearer, make_token

pytestmark = pytest.mark.django_db
CONTACTS = "/api/v1/contacts/"


def _new_contact(community, **extra):
    return {
        "date": timezone.localdate().isoformat(),
        "kind": "formal_meeting",
        "communities": [community.pk],
        "people_reached": 4,
        "language": "ne",
        **extra,
    }


def test_no_token_is_a_401_in_the_callers_language(client):
    response = client.get(CONTACTS, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    error = response.json()["error"]
    assert error["code"] == "not_authenticated" and error["locale"] == "es"
    assert "Authorization: Bearer" in error["message"]


def test_a_session_never_authenticates_the_api(client, liaison_with_community):
    liaison, _c = liaison_with_community
    client.force_login(liaison.user)
    assert client.get(CONTACTS).status_code == 401


def test_liaison_logs_and_lists_only_their_own_contacts(client, liaison_with_community):
    liaison, community = liaison_with_community
    ContactFactory()  # someone else's
    secret = make_token(liaison.user, ["contacts:read", "contacts:write"])
    response = client.post(
        CONTACTS, _new_contact(community), content_type="application/json", **bearer(secret)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    contact = Contact.objects.get(pk=body["id"])
    assert contact.liaison == liaison and contact.people_reached == 4
    assert list(contact.communities.all()) == [community]
    listed = client.get(CONTACTS, **bearer(secret)).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == contact.pk
    other = Contact.objects.exclude(pk=contact.pk).get()
    assert client.get(f"{CONTACTS}{other.pk}/", **bearer(secret)).status_code == 404
    assert client.get(f"{CONTACTS}{contact.pk}/", **bearer(secret)).json()["date"] == contact.date.isoformat()


def test_contacts_follow_the_web_rules_with_messages_per_field(client, liaison_with_community):
    liaison, community = liaison_with_community
    not_a_priority = CommunityFactory(active_from=timezone.localdate() + dt.timedelta(days=30))
    secret = make_token(liaison.user, ["contacts:write"])
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        CONTACTS,
        _new_contact(community, date=tomorrow, communities=[not_a_priority.pk], people_reached=0),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
        **bearer(secret),
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_failed" and error["locale"] == "es"
    assert set(error["fields"]) >= {"date", "communities", "people_reached"}
    assert not Contact.objects.exists()
    for bad in ("[1, 2]", '"text"', "{not json"):
        response = client.post(CONTACTS, bad, content_type="application/json", **bearer(secret))
        assert response.status_code == 400 and response.json()["error"]["code"] in {
            "bad_request",
            "validation_failed",
        }


def test_a_client_id_sent_twice_logs_one_contact(client, liaison_with_community):
    liaison, community = liaison_with_community
    secret = make_token(liaison.user, ["contacts:write"])
    body = _new_contact(community, client_id=str(uuid.uuid4()))
    first = client.post(CONTACTS, body, content_type="application/json", **bearer(secret))
    again = client.post(CONTACTS, body, content_type="application/json", **bearer(secret))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Contact.objects.count() == 1


def test_scopes_limit_what_a_token_does(client, liaison_with_community):
    liaison, community = liaison_with_community
    reader = make_token(liaison.user, ["contacts:read"])
    response = client.post(
        CONTACTS, _new_contact(community), content_type="application/json", **bearer(reader)
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "scope_missing"
    assert client.get("/api/v1/figures/", **bearer(reader)).status_code == 403
    assert not Contact.objects.exists()


def test_a_role_can_only_give_the_scopes_it_has(liaison_with_community):
    from django.core.exceptions import ValidationError

    liaison, _c = liaison_with_community
    with pytest.raises(ValidationError):
        make_token(liaison.user, ["figures:read"])


def test_a_token_stops_when_its_owner_loses_the_permission(client, liaison_with_community):
    liaison, _c = liaison_with_community
    secret = make_token(liaison.user, ["contacts:read"])
    assert client.get(CONTACTS, **bearer(secret)).status_code == 200
    liaison.user.groups.clear()
    assert client.get(CONTACTS, **bearer(secret)).json()["error"]["code"] == "scope_missing"


def test_expired_revoked_and_unknown_tokens_are_refused_with_their_reason(
    client, liaison_with_community, role_user
):
    liaison, _c = liaison_with_community
    secret = make_token(liaison.user, ["contacts:read"])
    token = AccessToken.objects.get()
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(CONTACTS, **bearer(secret)).json()["error"]["code"] == "token_expired"
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    assert client.get(CONTACTS, **bearer(secret)).status_code == 200
    token_revoke(actor=role_user("Coordinator"), token=token)
    response = client.get(CONTACTS, **bearer(secret))
    assert response.status_code == 401 and response.json()["error"]["code"] == "token_revoked"
    assert client.get(CONTACTS, **bearer(secret[:-2] + "xx")).json()["error"]["code"] == "token_invalid"
    assert client.get(CONTACTS, HTTP_AUTHORIZATION="Basic abc").json()["error"]["code"] == "token_invalid"


def test_only_a_digest_is_stored(liaison_with_community):
    liaison, _c = liaison_with_community
    secret = make_token(liaison.user, ["contacts:read"])
    token = AccessToken.objects.get()
    assert secret not in str(AccessToken.objects.filter(pk=token.pk).values().get())


def test_calls_are_rate_limited_per_token(client, liaison_with_community, api_rates):
    api_rates(token="3/min", public="3/min")
    liaison, _c = liaison_with_community
    secret = make_token(liaison.user, ["contacts:read"])
    other = make_token(liaison.user, ["contacts:read"])
    codes = [client.get(CONTACTS, **bearer(secret)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get(CONTACTS, HTTP_ACCEPT_LANGUAGE="fr", **bearer(secret))
    assert limited.json()["error"]["code"] == "rate_limited" and int(limited["Retry-After"]) > 0
    assert client.get(CONTACTS, **bearer(other)).status_code == 200  # its own count


def test_every_call_and_every_change_is_on_the_audit_trail(client, liaison_with_community):
    liaison, community = liaison_with_community
    secret = make_token(liaison.user, ["contacts:read", "contacts:write"])
    assert Entry.objects.filter(event=events.API_TOKEN_CREATED, actor=liaison.user).count() == 1
    client.get(CONTACTS, **bearer(secret))
    client.post(CONTACTS, _new_contact(community), content_type="application/json", **bearer(secret))
    calls = Entry.objects.filter(event=events.API_CALL, actor=liaison.user).order_by("id")
    assert [(e.data["method"], e.data["status"]) for e in calls] == [("GET", 200), ("POST", 201)]
    created = Entry.objects.filter(event=events.RECORD_CREATED, content_type__model="contact").get()
    assert created.actor == liaison.user  # the token's owner, as on the web


def test_attendance_through_the_api_counts_once_per_client_id(client, liaison_with_community):
    liaison, community = liaison_with_community
    event = past_event(liaison, [community])
    secret = make_token(liaison.user, ["events:read", "events:write"])
    day = timezone.localtime(event.start, event.tz).date().isoformat()
    body = {"date": day, "total": 30, "by_community": {str(community.pk): 20}, "client_id": str(uuid.uuid4())}
    url = f"/api/v1/events/{event.pk}/attendance/"
    first = client.post(url, body, content_type="application/json", **bearer(secret))
    again = client.post(url, body, content_type="application/json", **bearer(secret))
    assert (first.status_code, again.status_code) == (201, 200), first.content
    assert first.json() == {
        "date": day,
        "total": 30,
        "by_community": [{"community": community.pk, "count": 20}],
    }
    assert EventAttendance.objects.get().total == 30
    detail = client.get(f"/api/v1/events/{event.pk}/", **bearer(secret)).json()
    assert detail["attended"] == 30 and detail["attendance"][0]["total"] == 30
    too_many = client.post(
        url,
        {"date": day, "total": 5, "by_community": {str(community.pk): 9}},
        content_type="application/json",
        **bearer(secret),
    )
    assert too_many.status_code == 400 and "total" in too_many.json()["error"]["fields"]
    stranger = client.post(
        url,
        {"date": day, "total": 5, "by_community": {"999999": 1}},
        content_type="application/json",
        **bearer(secret),
    )
    assert stranger.status_code == 400


def test_another_liaisons_event_cannot_be_recorded(client, liaison_with_community):
    liaison, community = liaison_with_community
    other = LiaisonFactory()
    event = past_event(other, [community])
    secret = make_token(liaison.user, ["events:write"])
    day = timezone.localtime(event.start, event.tz).date().isoformat()
    response = client.post(
        f"/api/v1/events/{event.pk}/attendance/",
        {"date": day, "total": 3},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 403 and not EventAttendance.objects.exists()


def test_figures_are_the_dashboards_numbers(client, role_user, liaison_with_community):
    liaison, community = liaison_with_community
    for _ in range(3):
        ContactFactory(liaison=liaison, communities=[community], people_reached=5)
    commander = role_user("Commander")
    secret = make_token(commander, ["figures:read"])
    q = Quarter.current()
    body = client.get("/api/v1/figures/", {"quarter": q.key}, **bearer(secret)).json()
    fig = dashboard_selectors.contact_figures(dashboard_selectors.Filters(quarter=q))
    assert body["quarter"] == q.key
    assert (
        body["contacts"]
        == fig.total_contacts
        == Contact.objects.filter(date__gte=q.start, date__lte=q.end).count()
    )
    assert body["people_reached"] == fig.total_people
    mine = next(r for r in body["liaisons"] if r["liaison"] == liaison.pk)
    assert mine["contacts"] == 3 and mine["people_reached"] == 15
    assert next(c for c in body["communities"] if c["id"] == community.pk)["contacts"] == 3
    assert body["trend"][-1] == {
        "quarter": q.key, "contacts": fig.trend[-1]["contacts"], "people_reached": fig.trend[-1]["people"],
        "events_held": 0, "attendance": 0,
    }  # fmt: skip
    refused = client.get("/api/v1/figures/", {"quarter": "soon"}, HTTP_ACCEPT_LANGUAGE="ar", **bearer(secret))
    assert refused.status_code == 400 and refused.json()["error"]["fields"]["quarter"]


def test_no_api_answer_carries_a_submitters_contact_details(client, role_user, liaison_with_community):
    from tests.factories import ConcernFactory

    liaison, community = liaison_with_community
    concern = ConcernFactory(
        contact_method="email", email="private.person@example.org", community=community, status="action_taken",
        published=True, public_summary_en="We fixed it.", published_at=timezone.now(), closed_at=timezone.now(),
    )  # fmt: skip
    commander = role_user("Coordinator")
    secret = make_token(commander, ["figures:read", "events:read"])
    answers = [
        client.get("/api/v1/figures/", **bearer(secret)),
        client.get("/api/v1/events/", **bearer(secret)),
        client.get("/api/v1/public/you-said-we-did/"),
        client.get(f"/open311/v2/requests/{concern.code}.json"),
        client.get("/open311/v2/requests.json", {"service_request_id": concern.code}),
    ]
    for response in answers:
        assert response.status_code == 200
        text = response.content.decode()
        assert "private.person" not in text and concern.text not in text


@pytest.mark.parametrize("quarter", ["9999-Q4", "0001-Q1", "0002-Q1"])
def test_quarters_beyond_the_calendar_are_refused_not_a_500(
    client, role_user, liaison_with_community, quarter
):
    liaison, _c = liaison_with_community
    reader = make_token(liaison.user, ["contacts:read"])
    figures = make_token(role_user("Commander"), ["figures:read"])
    for url, secret in ((CONTACTS, reader), ("/api/v1/figures/", figures)):
        response = client.get(url, {"quarter": quarter}, **bearer(secret))
        assert response.status_code == 400 and response.json()["error"]["fields"]["quarter"]


def test_a_field_refused_by_django_itself_is_said_in_somali(client, role_user):
    secret = make_token(role_user("Commander"), ["figures:read"])
    error = client.get("/api/v1/figures/", {"community": "abc", "locale": "so"}, **bearer(secret)).json()[
        "error"
    ]
    assert error["locale"] == "so"
    assert "Select a valid choice" not in error["fields"]["community"][0]


def test_nul_in_a_json_body_is_a_400(client, liaison_with_community):
    liaison, community = liaison_with_community
    secret = make_token(liaison.user, ["contacts:write"])
    body = _new_contact(community, notes="a\x00b")
    response = client.post(CONTACTS, body, content_type="application/json", **bearer(secret))
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"
    assert not Contact.objects.exists()


def test_wrong_tokens_count_against_the_address(client, api_rates):
    api_rates(public="3/min")
    codes = [
        client.get(CONTACTS, HTTP_AUTHORIZATION=f"Bearer bridge_abcd1234_guess{i}").status_code
        for i in range(4)
    ]
    assert codes == [401, 401, 401, 429]


def test_staff_event_titles_say_their_language(client, liaison_with_community):
    liaison, community = liaison_with_community
    event = past_event(liaison, [community])
    secret = make_token(liaison.user, ["events:read"])
    body = client.get(f"/api/v1/events/{event.pk}/", {"locale": "ar"}, **bearer(secret)).json()
    assert body["title"] == event.title_en and body["locale"] == {"title": "en"}
