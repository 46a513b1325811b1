"""What a finished message said does not outlive its purpose: the outbox erases bodies (and
the headers, which repeat a subscriber's unsubscribe link) with the address after
MESSAGING_ADDRESS_RETENTION_DAYS, other apps erase the bodies of their own rows when their
retention says so, and an erased address does not survive in a failure reason."""

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from messaging import services
from messaging.models import Message
from messaging.services import BODY_REMOVED, LINK_REMOVED

pytestmark = pytest.mark.django_db
UNSUBSCRIBE = "https://bridge.example/en/unsubscribe/personal-token/"


def row(key: str, **fields) -> Message:
    defaults = {
        "key": key,
        "channel": "email",
        "address": "layla@example.org",
        "language": "en",
        "body": f"The meeting is on Tuesday. Unsubscribe: {UNSUBSCRIBE}",
        "html_body": f'<a href="{UNSUBSCRIBE}">Unsubscribe</a>',
        "headers": {"List-Unsubscribe": f"<{UNSUBSCRIBE}>"},
    }
    defaults.update(fields)
    return Message.objects.create(**defaults)


def contents(message: Message) -> tuple:
    message.refresh_from_db()
    return message.body, message.html_body, message.headers


def test_bodies_erase_erases_finished_rows_and_keeps_those_still_to_go_out():
    sent = row("c:1:sent", status="sent", sent_at=timezone.now())
    failed = row("c:1:failed", status="failed")
    unconfirmed = row("c:1:unconfirmed", status="unconfirmed")
    queued = row("c:1:queued")
    sending = row("c:1:sending", status="sending")
    other = row("c:2:sent", status="sent", sent_at=timezone.now())

    assert services.message_bodies_erase(rows=Q(key__startswith="c:1:")) == 3
    for message in (sent, failed, unconfirmed):
        assert contents(message) == (BODY_REMOVED, "", {})
        assert message.status in {"sent", "failed", "unconfirmed"} and message.address == "layla@example.org"
    for message in (queued, sending, other):
        assert UNSUBSCRIBE in contents(message)[0]
    assert services.message_bodies_erase(rows=Q(key__startswith="c:1:")) == 0  # idempotent


def test_bodies_erase_keeps_saying_a_secret_row_held_a_link():
    secret = row("auth:password-reset:1:x", status="sent", holds_secret=True, body=LINK_REMOVED, html_body="")
    services.message_bodies_erase(rows=Q(pk=secret.pk))
    assert contents(secret)[0] == LINK_REMOVED


def test_retention_erases_bodies_and_headers_with_the_address(settings):
    settings.MESSAGING_ADDRESS_RETENTION_DAYS = 90
    now = timezone.now()
    old_sent = row("n:old", status="sent", sent_at=now - dt.timedelta(days=91))
    recent = row("n:recent", status="sent", sent_at=now - dt.timedelta(days=10))
    old_queued = row("n:queued")
    Message.objects.filter(pk=old_queued.pk).update(created_at=now - dt.timedelta(days=91))

    assert services.message_addresses_expire() == 1
    assert contents(old_sent) == (BODY_REMOVED, "", {}) and old_sent.address == "(removed)"
    assert UNSUBSCRIBE in contents(recent)[0] and recent.address == "layla@example.org"
    assert UNSUBSCRIBE in contents(old_queued)[0]
    assert services.message_addresses_expire() == 0  # idempotent


def test_retention_erases_bodies_of_rows_whose_address_an_older_run_erased(settings):
    settings.MESSAGING_ADDRESS_RETENTION_DAYS = 90
    old = timezone.now() - dt.timedelta(days=200)
    earlier = row("n:earlier", status="sent", sent_at=old, address="(removed)")
    purged = row("concern:3:status:1:submitter", status="sent", sent_at=old, address="")
    assert services.message_addresses_expire() == 2
    assert contents(earlier) == contents(purged) == (BODY_REMOVED, "", {})


def test_forget_takes_the_address_out_of_the_failure_reason_too():
    message = row("s:1", status="failed", last_error="SMTPRecipientsRefused: 550 <layla@example.org> unknown")
    services.message_forget(rows=Q(pk=message.pk), stop_queued=False, placeholder="")
    message.refresh_from_db()
    assert message.address == ""
    assert message.last_error == "SMTPRecipientsRefused: 550 <(removed)> unknown"
