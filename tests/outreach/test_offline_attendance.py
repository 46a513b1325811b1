"""Attendance recorded on a device and sent later: applied once per device identifier."""

import uuid

import pytest
from django.test import Client

from bridge.offline import store_id
from outreach.models import AttendanceReceipt, EventAttendance
from tests.conftest import at_once
from tests.factories import CommunityFactory, LiaisonFactory, past_event

pytestmark = pytest.mark.django_db


def _past_event(host):
    community = CommunityFactory()
    event = past_event(host, [community])
    return event, community, event.start.astimezone(event.tz).date()


def _send(client, user, event, data):
    return client.post(
        f"/en/outreach/events/{event.pk}/attendance/queue/",
        data,
        headers={"X-Bridge-Queue": "1", "X-Bridge-Store": store_id(user)},
    )


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_offline_attendance_is_applied_once_even_after_a_later_correction():
    host = LiaisonFactory()
    event, community, day = _past_event(host)
    client = _client(host.user)
    first_id = str(uuid.uuid4())
    data = {"date": day.isoformat(), "total": "30", f"community_{community.pk}": "12", "client_id": first_id}
    assert _send(client, host.user, event, data).json()["status"] == "created"
    # A correction from the page, then the first send arriving again (a retry).
    correction = {**data, "total": "35", "client_id": str(uuid.uuid4())}
    assert _send(client, host.user, event, correction).json()["status"] == "created"
    again = _send(client, host.user, event, data)
    assert (again.status_code, again.json()["status"]) == (200, "duplicate")
    attendance = EventAttendance.objects.get(event=event)
    assert attendance.total == 35
    assert attendance.by_community.get().count == 12
    assert attendance.contacts.count() == 1  # one contact for the one host, not three


def test_offline_attendance_refusal_is_explained():
    host = LiaisonFactory()
    event, community, day = _past_event(host)
    data = {
        "date": day.isoformat(),
        "total": "5",
        f"community_{community.pk}": "9",
        "client_id": str(uuid.uuid4()),
    }
    response = _send(_client(host.user), host.user, event, data)
    assert response.status_code == 400
    assert response.json()["errors"]["total"]["messages"] == [
        "The counts by community add up to more than the total."
    ]
    assert not EventAttendance.objects.exists() and not AttendanceReceipt.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_offline_attendance_accepts_an_identifier_once_under_concurrent_posts(postgres):
    host = LiaisonFactory()
    event, community, day = _past_event(host)
    data = {"date": day.isoformat(), "total": "20", "client_id": str(uuid.uuid4())}
    clients = [_client(host.user) for _ in range(6)]
    answers = at_once([lambda c=c: _send(c, host.user, event, data).json()["status"] for c in clients])
    assert sorted(answers) == ["created"] + ["duplicate"] * 5
    assert AttendanceReceipt.objects.count() == 1
    attendance = EventAttendance.objects.get(event=event)
    assert attendance.total == 20 and attendance.contacts.count() == 1


def test_offline_attendance_a_count_too_large_is_refused_not_a_server_error():
    host = LiaisonFactory()
    event, community, day = _past_event(host)
    data = {"date": day.isoformat(), "total": "3000000000", "client_id": str(uuid.uuid4())}
    response = _send(_client(host.user), host.user, event, data)
    assert response.status_code == 400
    assert response.json()["errors"]["total"]["messages"] == ["Enter a number up to 100000."]
    assert not EventAttendance.objects.exists()


def test_offline_attendance_saved_on_the_page_is_confirmed_to_the_device_once():
    host = LiaisonFactory()
    event, community, day = _past_event(host)
    client = _client(host.user)
    client_id = str(uuid.uuid4())
    data = {"date": day.isoformat(), "total": "14", "client_id": client_id}
    page = client.post(f"/en/outreach/events/{event.pk}/attendance/", data, follow=True)
    assert f'"sent": "{client_id}"' in page.content.decode()
    assert f'"sent": "{client_id}"' not in client.get("/en/outreach/events/").content.decode()
