"""Need to know: a submitter's e-mail and phone are shown only to the liaison the concern is
assigned to and to coordinators, and every showing is on the audit trail."""

import pytest

from audit import events
from audit.models import Entry
from messaging.models import Message
from tests.factories import ConcernFactory, LiaisonFactory

pytestmark = pytest.mark.django_db

LIAISON, COMMANDER, COORDINATOR = "Liaison officer", "Commander", "Coordinator"
ADDRESS = "amina.submitter@example.net"
HIDDEN = "The submitter left an e-mail address; only the assigned liaison and coordinators can see it."


@pytest.fixture
def assigned():
    liaison = LiaisonFactory()
    concern = ConcernFactory(contact_method="email", email=ADDRESS, assignee=liaison)
    return concern, liaison


def _page(client, concern, **extra):
    response = client.get(f"/en/concerns/queue/{concern.pk}/", **extra)
    assert response.status_code == 200
    return response.content.decode()


def _views(concern):
    return Entry.objects.filter(event=events.CONTACT_DETAILS_VIEWED, object_pk=str(concern.pk))


def test_need_to_know_assigned_liaison_sees_the_address_and_it_is_recorded(client, assigned):
    concern, liaison = assigned
    client.force_login(liaison.user)
    html = _page(client, concern, REMOTE_ADDR="198.51.100.7")
    assert ADDRESS in html and HIDDEN not in html
    entry = _views(concern).get()
    assert entry.actor == liaison.user and entry.actor_username == liaison.user.username
    assert entry.remote_addr == "198.51.100.7"
    assert entry.content_type.model == "concern"
    assert ADDRESS not in str(entry.data)


def test_need_to_know_each_showing_is_a_new_entry(client, assigned):
    concern, liaison = assigned
    client.force_login(liaison.user)
    _page(client, concern)
    _page(client, concern)
    assert _views(concern).count() == 2


def test_need_to_know_coordinator_sees_the_address(client, role_user, assigned):
    concern, _liaison = assigned
    coordinator = role_user(COORDINATOR)
    client.force_login(coordinator)
    assert ADDRESS in _page(client, concern)
    assert _views(concern).get().actor == coordinator


@pytest.mark.parametrize("role", [LIAISON, COMMANDER])
def test_need_to_know_others_see_only_that_an_address_exists(client, role_user, assigned, role):
    concern, _liaison = assigned
    client.force_login(role_user(role))
    html = _page(client, concern)
    assert ADDRESS not in html
    assert HIDDEN in html
    assert not _views(concern).exists()


def test_need_to_know_phone_is_hidden_too(client, role_user):
    concern = ConcernFactory(contact_method="phone", phone="+14125550199", assignee=LiaisonFactory())
    client.force_login(role_user(LIAISON))
    html = _page(client, concern)
    assert "+14125550199" not in html and "left a phone number" in html


def test_need_to_know_anonymous_concern_records_nothing(client, role_user):
    concern = ConcernFactory()
    client.force_login(role_user(COORDINATOR))
    html = _page(client, concern)
    assert HIDDEN not in html and not _views(concern).exists()


@pytest.mark.parametrize("role", [LIAISON, COMMANDER, COORDINATOR])
def test_need_to_know_queue_never_shows_addresses(client, role_user, assigned, role):
    concern, _liaison = assigned
    client.force_login(role_user(role))
    html = client.get("/en/concerns/queue/").content.decode()
    assert concern.code_display in html and ADDRESS not in html


def _answer(concern, **fields):
    defaults = {
        "key": f"concern:{concern.pk}:status:1:submitter",
        "channel": "email",
        "address": ADDRESS,
        "language": "en",
        "body": "Your concern",
    }
    return Message.objects.create(**{**defaults, **fields})


def test_need_to_know_answer_delivery_is_shown_without_the_address(client, role_user, assigned):
    concern, _liaison = assigned
    _answer(concern, status="failed", last_error=f"550 5.1.1 <{ADDRESS}>: mailbox unknown")
    client.force_login(role_user(COMMANDER))
    html = _page(client, concern)
    assert "Answers sent" in html and "failed" in html and "mailbox unknown" in html
    assert ADDRESS not in html


def test_need_to_know_answer_delivery_states(client, assigned):
    concern, liaison = assigned
    import datetime as dt

    from django.utils import timezone

    _answer(concern, status="sent", sent_at=timezone.now() - dt.timedelta(hours=1))
    _answer(concern, key=f"concern:{concern.pk}:status:2:submitter", status="queued")
    _answer(concern, key="event:1:published:sub:1", status="failed", address="other@example.net")
    client.force_login(liaison.user)
    html = _page(client, concern)
    assert "answer-sent" in html and "answer-queued" in html and "queued, waiting to be sent" in html
    assert "other@example.net" not in html  # another purpose's message is not this concern's
    assert "answer-failed" not in html


def test_admin_concern_page_never_shows_the_submitters_address(client, role_user):
    from tests.factories import ConcernFactory

    concern = ConcernFactory(contact_method="email", email="layla@example.org")
    client.force_login(role_user("Coordinator", is_staff=True))
    response = client.get(f"/admin/feedback/concern/{concern.pk}/change/")
    assert response.status_code == 200
    assert "layla@example.org" not in response.content.decode()
