"""The field app's queue on the server: each device identifier is logged once, and every
refusal is a JSON answer the app can show, in the liaison's language."""

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from bridge.offline import store_id
from liaison.models import Assignment, Contact
from tests.conftest import at_once
from tests.factories import CommunityFactory, LiaisonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def amina():
    liaison = LiaisonFactory(user__username="amina")
    somali = CommunityFactory(name="Somali", name_es="Somalíes", slug="somali")
    Assignment.objects.create(liaison=liaison, community=somali, starts_on=dt.date(2024, 1, 1))
    return liaison


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _headers(user) -> dict:
    return {"X-Bridge-Queue": "1", "X-Bridge-Store": store_id(user), "X-Bridge-Page": "/en/contacts/new/"}


def _contact(liaison, **extra) -> dict:
    return {
        "date": timezone.localdate().isoformat(),
        "kind": "informal_visit",
        "communities": [str(liaison.assignments.get().community_id)],
        "people_reached": "4",
        "language": "so",
        **extra,
    }


def test_offline_queue_logs_a_device_identifier_once(amina):
    client = _client(amina.user)
    ready = client.get("/en/contacts/queue/", headers=_headers(amina.user))
    assert ready.json()["status"] == "ready" and ready.json()["csrf"]
    client_id = str(uuid.uuid4())
    first = client.post(
        "/en/contacts/queue/", _contact(amina, client_id=client_id), headers=_headers(amina.user)
    )
    again = client.post(
        "/en/contacts/queue/", _contact(amina, client_id=client_id), headers=_headers(amina.user)
    )
    assert (first.status_code, first.json()["status"]) == (201, "created"), first.json()
    assert (again.status_code, again.json()["status"]) == (200, "duplicate")
    contact = Contact.objects.get()
    assert contact.liaison == amina and str(contact.client_id) == client_id and contact.people_reached == 4
    assert first.json()["url"] == again.json()["url"] == f"/en/contacts/{contact.pk}/saved/"


def test_offline_queue_a_double_tap_on_the_page_logs_one_contact(amina):
    client = _client(amina.user)
    data = _contact(amina, client_id=str(uuid.uuid4()))
    first = client.post("/en/contacts/new/", data)
    second = client.post("/en/contacts/new/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Contact.objects.count() == 1


def test_offline_queue_refusal_names_each_field_in_the_liaisons_language(amina):
    client = _client(amina.user)
    data = _contact(amina, client_id=str(uuid.uuid4()), people_reached="0", kind="")
    response = client.post("/es/contacts/queue/", data, headers=_headers(amina.user))
    assert response.status_code == 400
    answer = response.json()
    assert answer["status"] == "refused"
    assert set(answer["errors"]) == {"kind", "people_reached"}
    assert answer["errors"]["people_reached"]["label"] == "Personas alcanzadas"
    assert answer["message"] != "Not accepted. Correct it and save it again."  # Spanish
    assert Contact.objects.count() == 0


def test_offline_queue_a_community_no_longer_a_priority_is_refused_with_the_reason(amina):
    community = amina.assignments.get().community
    community.active_until = timezone.localdate() - dt.timedelta(days=1)
    community.save()
    response = _client(amina.user).post(
        "/en/contacts/queue/", _contact(amina, client_id=str(uuid.uuid4())), headers=_headers(amina.user)
    )
    assert response.status_code == 400
    [message] = response.json()["errors"]["communities"]["messages"]
    assert "Not a priority community" in message and "Somali" in message
    assert Contact.objects.count() == 0


def test_offline_queue_an_ended_session_asks_to_sign_in_and_comes_back(amina):
    response = Client().post(
        "/en/contacts/queue/", _contact(amina, client_id=str(uuid.uuid4())), headers=_headers(amina.user)
    )
    assert response.status_code == 401
    answer = response.json()
    assert answer["status"] == "signin"
    assert answer["url"] == "/en/accounts/login/?next=%2Fen%2Fcontacts%2Fnew%2F"
    assert Contact.objects.count() == 0


def test_offline_queue_a_missing_second_factor_asks_for_the_code(amina):
    client = Client()
    client.post("/en/accounts/login/", {"username": "amina", "password": "correct horse battery"})
    response = client.post(
        "/en/contacts/queue/", _contact(amina, client_id=str(uuid.uuid4())), headers=_headers(amina.user)
    )
    assert (response.status_code, response.json()["status"]) == (401, "mfa")
    assert response.json()["url"].startswith("/en/accounts/mfa/?next=")
    assert Contact.objects.count() == 0


def test_offline_queue_what_another_account_queued_is_never_logged_under_this_one(amina):
    other = LiaisonFactory()
    response = _client(other.user).post(
        "/en/contacts/queue/", _contact(amina, client_id=str(uuid.uuid4())), headers=_headers(amina.user)
    )
    assert (response.status_code, response.json()["status"]) == (409, "other-account")
    assert Contact.objects.count() == 0


def test_offline_queue_someone_elses_identifier_is_refused(amina):
    client_id = str(uuid.uuid4())
    _client(amina.user).post(
        "/en/contacts/queue/", _contact(amina, client_id=client_id), headers=_headers(amina.user)
    )
    other = LiaisonFactory()
    Assignment.objects.create(
        liaison=other, community=amina.assignments.get().community, starts_on=dt.date(2024, 1, 1)
    )
    response = _client(other.user).post(
        "/en/contacts/queue/", _contact(other, client_id=client_id), headers=_headers(other.user)
    )
    assert (response.status_code, response.json()["status"]) == (409, "refused")
    assert response.json()["renew"] is True  # corrected, it is saved under a new identifier
    assert Contact.objects.get().liaison == amina


def test_offline_queue_without_an_identifier_or_a_liaison_profile_is_refused(amina):
    response = _client(amina.user).post("/en/contacts/queue/", _contact(amina), headers=_headers(amina.user))
    assert (response.status_code, response.json()["status"]) == (400, "refused")
    commander = UserFactory()
    response = _client(commander).post(
        "/en/contacts/queue/", _contact(amina, client_id=str(uuid.uuid4())), headers=_headers(commander)
    )
    assert (response.status_code, response.json()["status"]) == (403, "refused")
    assert Contact.objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_offline_queue_accepts_an_identifier_once_under_concurrent_posts(postgres):
    """Eight sends of one identifier at once (two tabs, a retry, Background Sync): exactly one
    contact, and every send is told it is on the server."""
    liaison = LiaisonFactory(user__username="amina")
    Assignment.objects.create(liaison=liaison, community=CommunityFactory(), starts_on=dt.date(2024, 1, 1))
    data = _contact(liaison, client_id=str(uuid.uuid4()))
    clients = [_client(liaison.user) for _ in range(8)]

    def send(client):
        response = client.post("/en/contacts/queue/", data, headers=_headers(liaison.user))
        return response.status_code, response.json()["status"]

    answers = at_once([lambda c=c: send(c) for c in clients])
    assert Contact.objects.filter(client_id=data["client_id"]).count() == 1
    assert sorted(answers) == [(200, "duplicate")] * 7 + [(201, "created")]


def test_offline_queue_an_item_edited_after_a_lost_answer_updates_the_one_contact(amina):
    """The device kept the item (the answer never arrived) and the liaison corrected it: the
    next send of the same identifier counts the corrected version, still as one contact."""
    client = _client(amina.user)
    client_id = str(uuid.uuid4())
    client.post("/en/contacts/queue/", _contact(amina, client_id=client_id), headers=_headers(amina.user))
    edited = client.post(
        "/en/contacts/queue/",
        _contact(amina, client_id=client_id, people_reached="12", kind="phone_call"),
        headers=_headers(amina.user),
    )
    assert (edited.status_code, edited.json()["status"]) == (200, "duplicate")
    contact = Contact.objects.get()
    assert (contact.people_reached, contact.kind) == (12, "phone_call")


def test_offline_queue_the_page_after_a_save_tells_the_device_once(amina):
    client = _client(amina.user)
    client_id = str(uuid.uuid4())
    client.post("/en/contacts/new/", _contact(amina, client_id=client_id))
    saved = client.get(f"/en/contacts/{Contact.objects.get().pk}/saved/")
    assert f'data-offline-sent="{client_id}"' in saved.content.decode()
