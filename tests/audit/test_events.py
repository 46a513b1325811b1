"""Each audited action leaves an entry on the trail: who, what, when, from where."""

import csv
import io

import pytest
from auditlog.context import set_actor
from django.contrib.auth.models import Group, Permission

from audit import events
from audit.models import Entry
from liaison.models import Contact
from tests.factories import ConcernFactory, ContactFactory, LiaisonFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
LOGIN = "/en/accounts/login/"


def _only(event, **filters):
    return Entry.objects.filter(event=event, **filters).get()


# --- signing in and out ---------------------------------------------------------------


def test_login_is_recorded_with_the_address(client):
    user = UserFactory()
    client.post(LOGIN, {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="203.0.113.5")
    entry = _only(events.LOGIN)
    assert (entry.actor, entry.actor_username, entry.remote_addr) == (user, user.username, "203.0.113.5")


def test_failed_login_with_a_known_username_is_recorded_without_the_password(client):
    user = UserFactory()
    client.post(LOGIN, {"username": user.username, "password": "wrong-guess-123"})
    entry = _only(events.LOGIN_FAILED)
    assert entry.actor is None
    assert entry.data == {"username": user.username, "known_user": True}
    assert entry.object_pk == str(user.pk)
    assert "wrong-guess-123" not in str(Entry.objects.values_list())
    assert not Entry.objects.filter(event=events.LOGIN).exists()


def test_failed_login_with_an_unknown_username_is_recorded(client):
    client.post(LOGIN, {"username": "nobody-here", "password": "whatever-123"}, REMOTE_ADDR="203.0.113.9")
    entry = _only(events.LOGIN_FAILED)
    assert entry.data == {"username": "", "known_user": False, "typed_length": len("nobody-here")}
    assert entry.remote_addr == "203.0.113.9" and entry.content_type is None


def test_logout_is_recorded(client):
    user = UserFactory()
    client.force_login(user)
    client.post("/en/accounts/logout/")
    assert _only(events.LOGOUT).actor == user


def test_address_comes_from_the_proxy_header_only_when_configured(client, settings):
    user = UserFactory()
    # No proxy configured: a typed X-Forwarded-For is ignored.
    client.post(
        LOGIN,
        {"username": user.username, "password": "nope-nope-1"},
        REMOTE_ADDR="192.0.2.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6",
    )
    assert _only(events.LOGIN_FAILED).remote_addr == "192.0.2.1"
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    client.post(
        LOGIN,
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_REAL_IP="198.51.100.4",
    )
    assert _only(events.LOGIN).remote_addr == "198.51.100.4"


# --- roles and permissions (django-auditlog m2m diffs) -----------------------------------


def test_role_change_is_recorded_with_who_made_it():
    coordinator, user = UserFactory(), UserFactory()
    with set_actor(coordinator, remote_addr="192.0.2.8"):
        user.groups.add(Group.objects.get(name="Commander"))
    entry = Entry.objects.get(event=events.RECORD_UPDATED, object_pk=str(user.pk), content_type__model="user")
    assert entry.actor_username == coordinator.username and entry.remote_addr == "192.0.2.8"
    assert entry.log_entry.changes["groups"]["objects"] == ["Commander"]
    assert entry.log_entry.changes["groups"]["operation"] == "add"


def test_permission_change_of_a_role_is_recorded():
    group = Group.objects.get(name="Liaison officer")
    perm = Permission.objects.get(codename="view_concern_contact")
    group.permissions.add(perm)
    entry = Entry.objects.get(
        event=events.RECORD_UPDATED, content_type__model="group", object_pk=str(group.pk)
    )
    assert entry.log_entry.changes["permissions"]["operation"] == "add"


def test_a_users_password_never_reaches_the_trail():
    user = UserFactory()
    user.set_password("a brand new secret 42")
    user.save()
    for entry in Entry.objects.filter(object_pk=str(user.pk), log_entry__isnull=False):
        assert "password" not in (entry.log_entry.changes or {})


# --- concerns -----------------------------------------------------------------------------


@pytest.fixture
def coordinator(client, role_user):
    user = role_user("Coordinator")
    client.force_login(user)
    return user


def test_concern_assignment_is_recorded(client, coordinator):
    concern, liaison = ConcernFactory(), LiaisonFactory()
    client.post(f"/en/concerns/queue/{concern.pk}/assign/", {"assignee": liaison.pk})
    entry = _only(events.CONCERN_ASSIGNED)
    assert entry.actor == coordinator and entry.object_pk == str(concern.pk)
    assert (entry.data["from"], entry.data["to"]) == (None, liaison.pk)
    assert entry.remote_addr == "127.0.0.1"


def _status(client, concern, status):
    data = {
        "status": status,
        "reason": "",
        "response_en": "We fixed the light.",
        "response_es": "",
        "response_ar": "",
    }
    return client.post(f"/en/concerns/queue/{concern.pk}/status/", data)


def test_concern_status_change_is_recorded(client, coordinator):
    concern = ConcernFactory()
    _status(client, concern, "in_review")
    entry = _only(events.CONCERN_STATUS)
    assert entry.data == {"from": "received", "to": "in_review"} and entry.actor == coordinator


def test_concern_publishing_is_recorded(client, coordinator):
    concern = ConcernFactory()
    _status(client, concern, "action_taken")
    client.post(
        f"/en/concerns/queue/{concern.pk}/publish/", {"published": "on", "summary_en": "Light fixed."}
    )
    assert _only(events.CONCERN_PUBLISHED).data == {"published": True, "was_published": False}


def test_concern_text_and_address_stay_off_the_trail(client, coordinator):
    concern = ConcernFactory(contact_method="email", email="private@example.net", place="Elm Street 4")
    _status(client, concern, "in_review")
    client.get(f"/en/concerns/queue/{concern.pk}/")
    dump = str(list(Entry.objects.values_list())) + str(
        list(Entry.objects.filter(log_entry__isnull=False).values_list("log_entry__changes"))
    )
    assert "private@example.net" not in dump and concern.text not in dump and "Elm Street" not in dump


# --- contacts -----------------------------------------------------------------------------


def _contact_post(community, **overrides):
    data = {
        "date": "2024-01-10",
        "kind": "event",
        "communities": [community.pk],
        "people_reached": "40",
        "language": "ne",
    }
    return {**data, **overrides}


def test_contact_creation_is_recorded(client):
    liaison = LiaisonFactory()
    existing = ContactFactory(liaison=liaison)
    community = existing.communities.first()
    client.force_login(liaison.user)
    response = client.post("/en/contacts/new/", _contact_post(community))
    assert response.status_code == 302
    contact = Contact.objects.exclude(pk=existing.pk).get()
    entry = Entry.objects.get(
        event=events.RECORD_CREATED, content_type__model="contact", object_pk=str(contact.pk)
    )
    assert entry.actor == liaison.user
    assert entry.log_entry.changes["people_reached"][1] == 40
    communities = Entry.objects.get(event=events.RECORD_UPDATED, object_pk=str(contact.pk))
    assert communities.log_entry.changes["communities"]["objects"] == [community.name]


def test_contact_edit_is_recorded_with_old_and_new_values(client):
    contact = ContactFactory(people_reached=5)
    client.force_login(contact.liaison.user)
    response = client.post(
        f"/en/contacts/{contact.pk}/edit/",
        _contact_post(contact.communities.first(), date=contact.date.isoformat(), people_reached="41"),
    )
    assert response.status_code == 302
    entry = Entry.objects.get(
        event=events.RECORD_UPDATED, object_pk=str(contact.pk), log_entry__changes__has_key="people_reached"
    )
    assert entry.log_entry.changes["people_reached"] == [5, 41]
    assert entry.actor == contact.liaison.user


def test_contact_deletion_keeps_its_previous_values(client):
    contact = ContactFactory(people_reached=17)
    community = contact.communities.first()
    pk = contact.pk
    client.force_login(contact.liaison.user)
    assert client.post(f"/en/contacts/{pk}/delete/").status_code == 302
    assert not Contact.objects.filter(pk=pk).exists()
    entry = Entry.objects.get(event=events.RECORD_DELETED, object_pk=str(pk))
    assert entry.actor == contact.liaison.user
    assert entry.log_entry.changes["people_reached"] == [17, None]
    removed = Entry.objects.get(
        event=events.RECORD_UPDATED,
        object_pk=str(pk),
        actor=contact.liaison.user,
        log_entry__changes__has_key="communities",
    )
    assert removed.log_entry.changes["communities"] == {
        "type": "m2m",
        "operation": "delete",
        "objects": [community.name],
    }


# --- exports ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("what", "fmt"), [("figures", "csv"), ("figures", "xlsx"), ("contacts", "csv"), ("contacts", "xlsx")]
)
def test_each_export_is_recorded(client, role_user, what, fmt):
    from tests.dashboard.helpers import small_unit

    data = small_unit()
    commander = role_user("Commander")
    client.force_login(commander)
    response = client.get(f"/en/dashboard/export/{what}.{fmt}", {"quarter": data["quarter"].key})
    assert response.status_code == 200
    entry = _only(events.EXPORT)
    assert entry.actor == commander
    assert entry.data["export"] == what and entry.data["format"] == fmt
    assert entry.data["filters"]["quarter"] == data["quarter"].key
    if what == "contacts" and fmt == "csv":
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        assert entry.data["rows"] == len(rows) - 1 == 4


def test_export_of_everything_says_so(client, role_user):
    client.force_login(role_user("Commander"))
    ContactFactory()
    client.get("/en/dashboard/export/contacts.csv", {"scope": "all"})
    assert _only(events.EXPORT).data["filters"] == {"scope": "all"}
    assert _only(events.EXPORT).data["rows"] == 1


# --- the API other apps call --------------------------------------------------------------


def test_audit_record_is_the_public_api():
    from audit.services import audit_record

    user = UserFactory()
    entry = audit_record(event=events.MFA_ENROLLED, actor=user, target=user, data={"device": "totp"})
    assert Entry.objects.get(pk=entry.pk).data == {"device": "totp"}
    assert entry.actor_username == user.username and entry.object_pk == str(user.pk)


def test_audit_an_internal_note_is_named_without_its_text(client, role_user):
    from audit.models import Entry
    from feedback import services as feedback_services
    from tests.factories import ConcernFactory

    concern = ConcernFactory()
    coordinator = role_user("Coordinator")
    feedback_services.concern_note_add(
        actor=coordinator, concern=concern, text="Spoke with Mr Haddad at home"
    )
    assert Entry.objects.exists()
    for entry in Entry.objects.all():
        assert "Haddad" not in entry.object_repr
        assert "Haddad" not in str(entry.data)


def test_audit_a_concern_is_named_by_id_never_by_its_tracking_code(role_user):
    from audit.models import Entry
    from feedback import services as feedback_services
    from tests.factories import ConcernFactory, LiaisonFactory

    concern = ConcernFactory()
    coordinator = role_user("Coordinator")
    feedback_services.concern_assign(actor=coordinator, concern=concern, assignee=LiaisonFactory())
    feedback_services.concern_note_add(actor=coordinator, concern=concern, text="Called the school")
    entries = list(Entry.objects.all())
    assert entries
    for entry in entries:
        assert concern.code not in f"{entry.object_repr} {entry.data}"
        assert concern.code_display not in f"{entry.object_repr} {entry.data}"
