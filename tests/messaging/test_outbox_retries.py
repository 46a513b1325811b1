"""Transient failures retry with backoff kept in the database, then fail with the reason a
coordinator reads in the admin; the sweep recovers rows a crash or an outage left behind."""

import datetime as dt

import pytest
from django.utils import timezone

from messaging import services
from messaging.models import Message
from messaging.services import Outgoing, message_queue, message_send, message_sweep
from tests.messaging.smtp import free_port

pytestmark = pytest.mark.django_db


def row(key="t:1", **fields) -> Message:
    defaults = {"key": key, "channel": "email", "address": "a@example.org", "language": "en", "body": "Hi"}
    defaults.update(fields)
    return Message.objects.create(**defaults)


@pytest.fixture
def smtp_down(settings):
    """An SMTP server that refuses connections: a real transient failure."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_TIMEOUT = 2


def test_retry_transient_failure_waits_with_growing_backoff_then_fails_with_reason(smtp_down, settings):
    settings.MESSAGING_MAX_ATTEMPTS = 3
    settings.MESSAGING_RETRY_BASE_SECONDS = 30
    message = row()
    waits = []
    for _attempt in range(2):
        with pytest.raises(services.TransientError):
            message_send(message_id=message.pk)
        message.refresh_from_db()
        assert message.status == "queued" and message.dispatched_at is None
        waits.append((message.next_attempt_at - timezone.now()).total_seconds())
        # A redelivered task before the wait is over sends nothing.
        assert message_send(message_id=message.pk) == "deferred"
        Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert 25 < waits[0] <= 30 and 55 < waits[1] <= 60
    assert message_send(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert message.status == "failed" and message.attempts == 3
    assert message.last_error.startswith("Gave up after 3 attempts:")


def test_retry_failed_reason_is_visible_in_the_admin_and_can_be_sent_again(client, smtp_down, settings):
    from tests.factories import UserFactory

    message = row(status="failed", attempts=5, last_error="Gave up after 5 attempts: Connection refused")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get("/admin/messaging/message/").content.decode()
    assert "Gave up after 5 attempts: Connection refused" in html
    client.post("/admin/messaging/message/", {"action": "send_again", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert message.status == "queued" and message.attempts == 0


def test_sweep_requeues_rows_stuck_in_sending_and_fails_those_out_of_attempts(settings):
    settings.MESSAGING_SENDING_TIMEOUT_SECONDS = 300
    settings.MESSAGING_MAX_ATTEMPTS = 5
    old = timezone.now() - dt.timedelta(minutes=10)
    stuck = row("t:stuck", status="sending", attempts=1)
    worn = row("t:worn", status="sending", attempts=5)
    busy = row("t:busy", status="sending", attempts=1)  # its worker is still at it
    Message.objects.filter(pk__in=[stuck.pk, worn.pk]).update(updated_at=old, created_at=old)
    result = message_sweep()
    assert result["requeued"] == 1 and result["failed"] == 1
    stuck.refresh_from_db(), worn.refresh_from_db(), busy.refresh_from_db()
    # Sent again in this process (no broker in this test), exactly once.
    assert stuck.status == "sent" and stuck.attempts == 2
    assert worn.status == "failed" and "gave up" in worn.last_error
    assert busy.status == "sending"


def test_sweep_hands_out_rows_the_broker_never_got_but_not_young_ones(settings):
    settings.MESSAGING_QUEUED_GRACE_SECONDS = 30
    orphan = row("t:orphan")
    young = row("t:young")
    Message.objects.filter(pk=orphan.pk).update(created_at=timezone.now() - dt.timedelta(minutes=2))
    assert message_sweep()["due"] == 1
    orphan.refresh_from_db(), young.refresh_from_db()
    assert orphan.status == "sent" and young.status == "queued"


def test_queue_same_key_twice_keeps_one_row():
    o = Outgoing(key="t:same", channel="email", address="a@example.org", language="es", subject="s", body="b")
    message_queue(outgoing=[o, o])
    message_queue(outgoing=[o])
    assert Message.objects.filter(key="t:same").count() == 1


def test_queue_cuts_an_overlong_sms_to_the_stated_segments(settings):
    settings.SMS_MAX_SEGMENTS = 2
    o = Outgoing(
        key="t:sms", channel="sms", address="+14125550100", language="ar", subject="", body="م" * 500
    )
    message_queue(outgoing=[o])
    from messaging.segments import sms_length

    assert sms_length(Message.objects.get(key="t:sms").body).segments == 2
