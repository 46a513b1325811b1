"""The outbox is no credential store: a sign-in link (password reset, "choose your password")
is erased from its row once the row is finished, never shown in the admin, and those rows
are hidden from everyone but superusers. The admin shows no full address, not even in a
failure reason, and cannot be searched by address."""

import importlib

import pytest
from django.apps import apps
from django.core import mail

from messaging import services
from messaging.models import Message
from messaging.services import LINK_REMOVED, Outgoing, message_queue, message_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LINK = "https://bridge.example/en/accounts/reset/MQ/set-password-token/"


def secret_row(**fields) -> Message:
    defaults = {
        "key": "auth:password-reset:1:abc",
        "channel": "email",
        "address": "chief@police.example",
        "language": "en",
        "subject": "Password reset",
        "body": f"Choose a new password: {LINK}",
        "html_body": f'<a href="{LINK}">Choose a new password</a>',
        "holds_secret": True,
    }
    defaults.update(fields)
    return Message.objects.create(**defaults)


@pytest.fixture
def coordinator_client(client, role_user):
    client.force_login(role_user("Coordinator", is_staff=True))
    return client


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


# --- The link goes once the row is finished ------------------------------------------------------


def test_secret_body_is_sent_then_erased_from_the_row(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [message_id] = message_queue(
            outgoing=[
                Outgoing(
                    key="auth:password-reset:7:x",
                    channel="email",
                    address="chief@police.example",
                    language="en",
                    subject="Reset",
                    body=f"Choose a new password: {LINK}",
                    html_body=f'<a href="{LINK}">here</a>',
                    secret=True,
                )
            ]
        )
    assert LINK in mail.outbox[0].body  # the person got the link
    message = Message.objects.get(pk=message_id)
    assert message.holds_secret and message.status == "sent"
    assert message.body == LINK_REMOVED and message.html_body == ""
    assert LINK not in str(Message.objects.filter(pk=message_id).values().get())


def test_ordinary_body_stays_after_sending(django_capture_on_commit_callbacks):
    ordinary = Outgoing(
        key="t:keep", channel="email", address="a@example.org", language="en", subject="S", body="Hi"
    )
    with django_capture_on_commit_callbacks(execute=True):
        [message_id] = message_queue(outgoing=[ordinary])
    message = Message.objects.get(pk=message_id)
    assert message.status == "sent" and not message.holds_secret and message.body == "Hi"


def test_secret_body_is_erased_when_the_row_fails(monkeypatch):
    message = secret_row()

    def refuse(_message):
        raise ValueError("550 no such user")

    monkeypatch.setattr(services, "_deliver", refuse)
    assert message_send(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert message.body == LINK_REMOVED and message.html_body == ""


def test_secret_body_is_erased_when_the_row_is_unconfirmed(monkeypatch):
    message = secret_row()

    def lost_answer(_message):
        raise services.Unconfirmed("timed out waiting for the answer") from TimeoutError()

    monkeypatch.setattr(services, "_deliver", lost_answer)
    assert message_send(message_id=message.pk) == "unconfirmed"
    message.refresh_from_db()
    assert message.body == LINK_REMOVED


def test_secret_body_is_erased_when_the_sweep_gives_up_and_when_marked_failed(settings):
    settings.MESSAGING_MAX_ATTEMPTS = 1
    stuck = secret_row(key="auth:password-reset:1:stuck", status="sending", attempts=1)
    Message.objects.filter(pk=stuck.pk).update(updated_at=stuck.updated_at.replace(year=2000))
    marked = secret_row(key="auth:password-reset:1:marked")
    services.message_sweep()
    services.message_mark_failed(message_id=marked.pk, reason="no")
    assert set(Message.objects.values_list("status", "body")) == {("failed", LINK_REMOVED)}


def test_secret_row_waiting_keeps_its_body_and_cannot_be_sent_again_once_failed():
    waiting = secret_row(key="auth:password-reset:1:waiting")
    failed = secret_row(key="auth:password-reset:1:failed", status="failed", body=LINK_REMOVED)
    assert Message.objects.get(pk=waiting.pk).body.endswith(LINK)  # it must still go out
    # Its link is gone: a copy now would say nothing. The person asks for a new one.
    assert services.message_retry(message_ids=[failed.pk]) == 0


def test_password_reset_mail_is_queued_as_secret(client):
    from django.core.cache import cache

    cache.clear()  # the reset form is throttled per address
    UserFactory(email="amina@police.example")
    client.post("/en/accounts/password_reset/", {"email": "amina@police.example"})
    message = Message.objects.get(address="amina@police.example")
    assert message.holds_secret


def test_migration_flags_old_reset_rows_and_erases_the_finished_ones():
    migration = importlib.import_module("messaging.migrations.0006_message_holds_secret")
    sent = secret_row(key="auth:password-reset:1:old", holds_secret=False, status="sent")
    waiting = secret_row(key="auth:password-reset:1:new", holds_secret=False)
    other = secret_row(key="event:1:published:sub:1", holds_secret=False, status="sent")
    migration.mark_and_erase_reset_links(apps, None)
    for row in (sent, waiting, other):
        row.refresh_from_db()
    assert sent.holds_secret and sent.body == LINK_REMOVED
    assert waiting.holds_secret and waiting.body.endswith(LINK)
    assert not other.holds_secret and other.body.endswith(LINK)


# --- The admin -----------------------------------------------------------------------------------


def test_admin_coordinator_does_not_see_sign_in_mails_at_all(coordinator_client):
    secret = secret_row()
    unflagged = secret_row(key="auth:password-reset:2:old", holds_secret=False)
    visible = Message.objects.create(
        key="event:1:published:sub:1", channel="email", address="a@example.org", language="en", body="x"
    )
    listing = coordinator_client.get("/admin/messaging/message/")
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 1
    assert list(listing.context["cl"].result_list) == [visible]
    for row in (secret, unflagged):
        page = coordinator_client.get(f"/admin/messaging/message/{row.pk}/change/")
        assert page.status_code == 302  # "does not exist", like any row one may not see
        assert LINK not in coordinator_client.get(page.url).content.decode()


def test_admin_superuser_sees_the_row_never_the_link_even_while_it_waits(superuser_client):
    secret = secret_row()  # queued: the body still holds the link
    listing = superuser_client.get("/admin/messaging/message/").content.decode()
    assert "Password reset" in listing
    page = superuser_client.get(f"/admin/messaging/message/{secret.pk}/change/").content.decode()
    assert LINK not in page and "set-password-token" not in page
    assert "(not shown: it holds a sign-in link)" in page


def test_admin_ordinary_body_is_shown_read_only(coordinator_client):
    message = Message.objects.create(
        key="event:1:published:sub:1",
        channel="email",
        address="a@example.org",
        language="en",
        body="Meeting on Tuesday",
        html_body="<p>Meeting on Tuesday</p>",
    )
    response = coordinator_client.get(f"/admin/messaging/message/{message.pk}/change/")
    html = response.content.decode()
    assert "Meeting on Tuesday" in html and "&lt;p&gt;Meeting on Tuesday&lt;/p&gt;" in html
    form = response.context["adminform"].form
    assert not {"body", "html_body", "last_error", "address"} & set(form.fields)


def test_admin_failure_reason_masks_the_address_in_list_and_page(coordinator_client):
    message = Message.objects.create(
        key="concern:1:status:1:submitter",
        channel="email",
        address="layla@example.org",
        language="en",
        body="x",
        status="failed",
        last_error="SMTPRecipientsRefused: 550 5.1.1 <layla@example.org>: unknown user; cc Layla.H@example.org",
    )
    for url in ("/admin/messaging/message/", f"/admin/messaging/message/{message.pk}/change/"):
        html = coordinator_client.get(url).content.decode()
        assert "layla@example.org" not in html and "Layla.H@example.org" not in html, url
        assert "550 5.1.1 &lt;l•••@example.org&gt;" in html, url


def test_admin_sms_failure_reason_masks_the_number(coordinator_client):
    message = Message.objects.create(
        key="concern:2:status:1:submitter",
        channel="sms",
        address="+14125550100",
        language="en",
        body="x",
        status="failed",
        last_error="Gateway refused +14125550100: not reachable",
    )
    html = coordinator_client.get(f"/admin/messaging/message/{message.pk}/change/").content.decode()
    assert "+14125550100" not in html and "+1••••••0100" in html


def test_admin_search_by_address_finds_nothing(coordinator_client):
    Message.objects.create(
        key="concern:1:status:1:submitter",
        channel="email",
        address="layla@example.org",
        language="en",
        body="x",
    )
    found = coordinator_client.get("/admin/messaging/message/", {"q": "layla@example.org"})
    assert found.context["cl"].result_count == 0
    by_key = coordinator_client.get("/admin/messaging/message/", {"q": "concern:1:"})
    assert by_key.context["cl"].result_count == 1
