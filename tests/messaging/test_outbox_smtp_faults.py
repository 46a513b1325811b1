"""Bad mail servers, for real: a real SMTP server (aiosmtpd) in the test that greylists,
refuses, drops the connection or answers too late, and the outbox sending to it from this
process. What counts is what the server accepted: every message once, none lost, none twice."""

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from messaging import services
from messaging.models import Message
from messaging.services import Outgoing, message_queue, message_sweep
from tests.conftest import wait_for

pytestmark = pytest.mark.django_db

GREYLISTED = "451 4.7.1 Greylisted, please try again later"


def outgoing(n: int, prefix: str = "fault") -> list[Outgoing]:
    return [
        Outgoing(
            key=f"test:{prefix}:{i}",
            channel="email",
            address=f"{prefix}{i}@example.org",
            language="en",
            subject=f"Notice {i}",
            body="The meeting is on Tuesday.",
        )
        for i in range(n)
    ]


def retry_due_now() -> dict:
    """The backoff's wait is over (the clock moved on): the sweep hands the rows out again."""
    Message.objects.filter(status="queued", next_attempt_at__isnull=False).update(
        next_attempt_at=timezone.now()
    )
    return message_sweep()


@pytest.fixture
def queue(django_capture_on_commit_callbacks):
    """message_queue as a view calls it: the sends run once the transaction commits."""

    def run(items: list[Outgoing]) -> list[int]:
        with django_capture_on_commit_callbacks(execute=True):
            return message_queue(outgoing=items)

    return run


@pytest.fixture
def smtp(smtp_in_process, settings):
    settings.EMAIL_TIMEOUT = 5
    settings.MESSAGING_MAX_ATTEMPTS = 5
    settings.MESSAGING_RETRY_BASE_SECONDS = 30
    return smtp_in_process


def test_greylisting_451_then_250_delivers_once_on_the_second_attempt(smtp, queue):
    smtp.recorder.add_fault("RCPT", "fault0@example.org", GREYLISTED)
    [message_id] = queue(outgoing(1))

    message = Message.objects.get(pk=message_id)
    assert message.status == "queued", message.last_error  # temporary: not failed
    assert message.attempts == 1 and "451" in message.last_error
    assert 25 < (message.next_attempt_at - timezone.now()).total_seconds() <= 30  # the backoff
    assert smtp.recipients() == []

    retry_due_now()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert smtp.recipients() == ["fault0@example.org"]


@pytest.mark.parametrize(
    ("stage", "answer"),
    [
        ("MAIL", "421 4.3.2 Service shutting down, try later"),
        ("MAIL", GREYLISTED),
        ("DATA", "451 4.3.0 Queue full"),
        ("END", "452 4.3.1 Insufficient system storage"),
        # A stray answer where 354 was due: what a reused connection with an unread answer
        # read (SMTPDataError(250, b'OK')). Nothing was sent yet, so trying again is safe.
        ("DATA", "250 OK"),
    ],
)
def test_temporary_answer_to_any_command_is_retried_and_delivered_once(smtp, stage, answer, queue):
    address = "*" if stage == "MAIL" else "fault0@example.org"
    smtp.recorder.add_fault(stage, address, answer)
    [message_id] = queue(outgoing(1))
    message = Message.objects.get(pk=message_id)
    assert message.status == "queued", message.last_error
    assert smtp.recipients() == []

    retry_due_now()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert smtp.recipients() == ["fault0@example.org"]


def test_greylisting_that_never_ends_fails_after_the_maximum_with_the_reason(smtp, settings, queue):
    settings.MESSAGING_MAX_ATTEMPTS = 3
    smtp.recorder.add_fault("RCPT", "fault0@example.org", GREYLISTED, GREYLISTED, GREYLISTED)
    [message_id] = queue(outgoing(1))
    retry_due_now()
    retry_due_now()
    message = Message.objects.get(pk=message_id)
    assert (message.status, message.attempts) == ("failed", 3)
    assert message.last_error.startswith("Gave up after 3 attempts:") and "451" in message.last_error
    assert smtp.recipients() == []


@pytest.mark.parametrize(
    ("stage", "answer"),
    [("RCPT", "550 5.1.1 No such user"), ("MAIL", "553 5.7.1 Sender rejected"), ("END", "554 5.7.1 Spam")],
)
def test_permanent_answer_fails_at_once_with_the_reason(smtp, stage, answer, queue):
    smtp.recorder.add_fault(stage, "*" if stage == "MAIL" else "fault0@example.org", answer)
    [message_id] = queue(outgoing(1))
    retry_due_now()
    message = Message.objects.get(pk=message_id)
    assert (message.status, message.attempts) == ("failed", 1)
    assert answer.split()[0] in message.last_error
    assert smtp.recipients() == []


def test_an_smtp_error_throws_the_reused_connection_away(smtp, queue):
    smtp.recorder.add_fault("RCPT", "fault1@example.org", "550 5.1.1 No such user")
    queue(outgoing(4))  # one task each, one after the other, this thread
    peer = smtp.connections()
    assert sorted(peer) == ["fault0@example.org", "fault2@example.org", "fault3@example.org"]
    assert peer["fault2@example.org"] != peer["fault0@example.org"]  # a fresh one after the refusal...
    assert peer["fault3@example.org"] == peer["fault2@example.org"]  # ...reused while all goes well


def test_connection_dropped_mid_batch_loses_nothing_and_sends_nothing_twice(smtp, settings, queue):
    settings.MESSAGING_DISPATCH_BATCH = 10  # 30 rows: three batch tasks, as a fan-out goes
    settings.MESSAGING_RETRY_BASE_SECONDS = 1
    recorder = smtp.recorder
    recorder.add_fault("RCPT", "fault4@example.org", "drop")
    recorder.add_fault("DATA", "fault11@example.org", "drop")
    recorder.add_fault("MAIL", "*", *(["sleep 0"] * 19), "drop")  # the 20th transaction
    recorder.add_fault("RCPT", "fault25@example.org", "421 4.4.2 Connection timed out, closing")
    ids = queue(outgoing(30))
    assert len(recorder.faulted) == 23  # every fault happened
    rows = Message.objects.filter(pk__in=ids)
    assert rows.filter(status="sent").count() == 26
    assert rows.filter(status="queued").count() == 4  # waiting for their retry, not failed

    for _round in range(3):
        if rows.filter(status="sent").count() == 30:
            break
        retry_due_now()
    assert rows.filter(status="sent").count() == 30, list(rows.values_list("status", "last_error"))
    received = smtp.recipients()
    assert sorted(received) == sorted(f"fault{i}@example.org" for i in range(30))
    assert len(set(received)) == len(received) == 30  # each once
    assert rows.filter(attempts=2).count() == 4 and rows.filter(attempts=1).count() == 26


def test_answer_lost_after_the_whole_message_went_out_is_unconfirmed_and_never_resent(
    smtp, settings, client, queue, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    settings.EMAIL_TIMEOUT = 1
    smtp.recorder.add_fault("END", "fault0@example.org", "late 2")  # takes it, answers too late
    [message_id] = queue(outgoing(1))
    message = Message.objects.get(pk=message_id)
    assert message.status == "unconfirmed", message.last_error
    assert "may have been delivered" in message.last_error
    # The server did take it.
    assert wait_for(lambda: smtp.recipients() == ["fault0@example.org"], timeout=5)

    # Neither the sweep nor a redelivered task sends it again, however long we wait.
    message_sweep(now=timezone.now() + dt.timedelta(days=1))
    assert services.message_send(message_id=message_id) == "unconfirmed"
    assert smtp.recipients() == ["fault0@example.org"]

    # Staff see why, and may decide to send it again.
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get("/admin/messaging/message/?status__exact=unconfirmed").content.decode()
    assert "check with the recipient" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/messaging/message/", {"action": "send_again", "_selected_action": [message_id]})
    message.refresh_from_db()
    assert message.status == "sent"
    copies = smtp.messages
    assert len(copies) == 2
    # The same Message-ID both times: a receiving server can drop the second copy.
    assert copies[0]["Message-ID"] == copies[1]["Message-ID"]


def test_server_gone_before_the_message_went_out_is_retried_not_unconfirmed(smtp, queue):
    smtp.recorder.add_fault("DATA", "fault0@example.org", "drop")
    [message_id] = queue(outgoing(1))
    assert Message.objects.get(pk=message_id).status == "queued"
    retry_due_now()
    assert Message.objects.get(pk=message_id).status == "sent"
    assert smtp.recipients() == ["fault0@example.org"]


def row(key: str, **fields) -> Message:
    defaults = {
        "key": key,
        "channel": "email",
        "address": f"{key}@example.org",
        "language": "en",
        "body": "Hi",
    }
    defaults.update(fields)
    return Message.objects.create(**defaults)


def test_retention_erases_old_finished_rows_addresses_and_keeps_recent_and_unsent(settings):
    settings.MESSAGING_ADDRESS_RETENTION_DAYS = 90
    now = timezone.now()
    old, recent = now - dt.timedelta(days=91), now - dt.timedelta(days=10)
    old_sent = row("old-sent", status="sent", sent_at=old)
    old_failed = row("old-failed", status="failed")
    old_unconfirmed = row("old-unconfirmed", status="unconfirmed")
    recent_sent = row("recent-sent", status="sent", sent_at=recent)
    old_queued = row("old-queued")  # a retry still due: it must be able to go out
    old_sending = row("old-sending", status="sending")
    Message.objects.filter(key__startswith="old-").update(created_at=old, updated_at=old)

    assert services.message_addresses_expire() == 3
    addresses = dict(Message.objects.values_list("key", "address"))
    assert addresses["old-sent"] == addresses["old-failed"] == addresses["old-unconfirmed"] == "(removed)"
    assert addresses["recent-sent"] == "recent-sent@example.org"
    assert addresses["old-queued"] == "old-queued@example.org"
    assert addresses["old-sending"] == "old-sending@example.org"
    old_sent.refresh_from_db()
    assert old_sent.status == "sent" and old_sent.subject == old_sent.subject  # the history stays

    assert services.message_addresses_expire() == 0  # idempotent
    # A row with no address left cannot be "sent again" to nobody.
    assert services.message_retry(message_ids=[old_failed.pk, old_unconfirmed.pk]) == 0
    # Ten days later, the recent row's turn.
    assert services.message_addresses_expire(now=now + dt.timedelta(days=81)) == 1
    recent_sent.refresh_from_db()
    assert recent_sent.address == "(removed)"
    assert (
        Message.objects.filter(Q(pk=old_queued.pk) | Q(pk=old_sending.pk), address="(removed)").count() == 0
    )


def test_retention_runs_daily_from_beat_through_a_task(settings):
    from messaging.tasks import expire_addresses

    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "messaging.expire_addresses"]
    assert entries and entries[0]["schedule"] == 24 * 60 * 60
    row("ancient", status="sent", sent_at=timezone.now() - dt.timedelta(days=400))
    expire_addresses.delay()
    assert Message.objects.get(key="ancient").address == "(removed)"
