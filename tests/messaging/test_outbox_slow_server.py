"""A slow mail server and the send tasks' time limits, for real: real worker processes on
Redis, a real SMTP server counting what it accepted, the limits and the budget shrunk through
the environment the workers read. Every message once; none failed; nothing sent twice."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import timezone

from messaging.models import Message
from messaging.services import Outgoing, message_queue, message_sweep
from tests.conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def outgoing(n: int, prefix: str = "slow") -> list[Outgoing]:
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


@pytest.fixture
def smtp_worker_env(monkeypatch):
    from tests.messaging.smtp import SMTPServer

    servers = []

    def start(**kwargs) -> SMTPServer:
        server = SMTPServer(**kwargs).start()
        monkeypatch.setenv("BRIDGE_WORKER_EMAIL_URL", server.url)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def send_limits(monkeypatch):
    """The send tasks' time limits, for the workers (their settings) and for this process:
    Celery puts the producer's limits in each task message, and the worker obeys those."""
    from messaging.tasks import send_batch, send_message

    def set_limits(soft: float, hard: float) -> None:
        monkeypatch.setenv("MESSAGING_SEND_SOFT_TIME_LIMIT", str(soft))
        monkeypatch.setenv("MESSAGING_SEND_TIME_LIMIT", str(hard))
        for task in (send_batch, send_message):
            monkeypatch.setattr(task, "soft_time_limit", soft)
            monkeypatch.setattr(task, "time_limit", hard)
            monkeypatch.setattr(task, "_exec_options", None)  # Celery caches them on first send

    return set_limits


def test_slow_server_fanout_of_200_sent_by_a_worker_delivers_each_once_and_fails_none(
    celery_worker_factory, smtp_worker_env, monkeypatch, settings, send_limits
):
    # The incident, scaled down 40 times: 11 s a message against a 20 s budget and a 60 s
    # soft limit becomes 0.25 s against 0.3 s and 1.5 s. A budget checked only between
    # slices of 10 would run a slice for 2.5 s and meet the soft limit mid-send.
    server = smtp_worker_env(delay=0.25)
    monkeypatch.setenv("MESSAGING_BATCH_SECONDS", "0.3")
    send_limits(1.5, 6)  # the hard limit only kills a worker stuck past the soft one
    settings.MESSAGING_DISPATCH_BATCH = 50  # four batch tasks, each handing its rest on
    celery_worker_factory(concurrency=4)

    with transaction.atomic():
        ids = message_queue(outgoing=outgoing(200))
    rows = Message.objects.filter(pk__in=ids)
    assert wait_for(lambda: rows.filter(status="sent").count() == 200, timeout=90, interval=0.5), list(
        rows.exclude(status="sent").values_list("status", "last_error")[:5]
    )
    received = server.recipients()
    assert len(received) == 200
    assert sorted(set(received)) == sorted(f"slow{i}@example.org" for i in range(200))  # each once
    assert not rows.exclude(status="sent").exists()  # none failed, none left behind
    # Rows claimed and handed on unstarted had their attempt given back.
    assert set(rows.values_list("attempts", flat=True)) == {1}


def test_soft_time_limit_mid_send_leaves_the_row_for_the_sweep_and_an_unanswered_one_unconfirmed(
    celery_worker_factory, smtp_worker_env, monkeypatch, settings, send_limits
):
    server = smtp_worker_env()
    recorder = server.recorder
    recorder.add_fault("RCPT", "slow0@example.org", "sleep 3")  # limit strikes before the data
    recorder.add_fault("END", "slow1@example.org", "late 3")  # limit strikes after the data
    send_limits(1, 6)
    settings.MESSAGING_DISPATCH_BATCH = 3  # the three go in one batch task
    celery_worker_factory()

    with transaction.atomic():
        message_queue(outgoing=outgoing(3))
    first, second, third = (Message.objects.get(key=f"test:slow:{i}").pk for i in range(3))
    status = lambda pk: Message.objects.get(pk=pk).status  # noqa: E731
    assert wait_for(lambda: status(third) == "sent", timeout=30), list(
        Message.objects.values_list("status", "last_error")
    )
    # Interrupted before its data went out: left 'sending' for the sweep, not failed.
    row = Message.objects.get(pk=first)
    assert (row.status, row.attempts) == ("sending", 1)
    assert "time limit" in row.last_error
    # Interrupted while waiting for the answer to its data: the server has it.
    row = Message.objects.get(pk=second)
    assert row.status == "unconfirmed" and "may have been delivered" in row.last_error
    # The third went out on a fresh connection, once (a reused one would have read the
    # second's late answer as its own).
    assert wait_for(lambda: sorted(server.recipients()) == ["slow1@example.org", "slow2@example.org"], 10)

    # The sweep, once the sending timeout has passed, sends the first; never the second.
    message_sweep(now=timezone.now() + dt.timedelta(seconds=settings.MESSAGING_SENDING_TIMEOUT_SECONDS + 1))
    assert wait_for(lambda: status(first) == "sent", timeout=30)
    assert sorted(server.recipients()) == ["slow0@example.org", "slow1@example.org", "slow2@example.org"]
    assert status(second) == "unconfirmed"
    assert Message.objects.get(pk=first).attempts == 2


@pytest.mark.parametrize("strikes_in", ["claim", "release"])
def test_a_soft_limit_striking_outside_a_send_still_hands_every_untried_row_on(
    strikes_in, monkeypatch, settings
):
    """The time limit can strike anywhere: while the batch claims its next slice, or while it
    gives back the rows its budget left over. Either way every row not sent is handed on and
    none is left claimed; none is lost until the sweep, none is sent twice."""
    from celery.exceptions import SoftTimeLimitExceeded

    from messaging import services

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monkeypatch.setattr(services, "message_dispatch", lambda **kwargs: 0)  # the rows wait
    ids = message_queue(outgoing=outgoing(25))
    assert Message.objects.filter(pk__in=ids, status="queued").count() == 25
    real = {"claim": services.message_claim, "release": services.message_release}
    calls = {"n": 0}

    def strike(**kwargs):
        calls["n"] += 1
        if strikes_in == "claim" and calls["n"] == 2:  # the second slice
            raise SoftTimeLimitExceeded()
        result = real[strikes_in](**kwargs)
        if strikes_in == "release":
            raise SoftTimeLimitExceeded()  # after the rows went back
        return result

    monkeypatch.setattr(services, f"message_{strikes_in}", strike)
    # A clock that ticks a second each time the batch looks: with 2.5 s, it sends one message
    # and its budget is spent before the second.
    clock = iter(range(10**6))
    monkeypatch.setattr(services, "time", SimpleNamespace(monotonic=lambda: next(clock)))
    budget = 1e9 if strikes_in == "claim" else 2.5
    with pytest.raises(services.BatchInterrupted) as interrupted:
        services.message_send_batch(message_ids=ids, budget_seconds=budget)
    sent = set(Message.objects.filter(pk__in=ids, status="sent").values_list("pk", flat=True))
    assert sorted(sent | set(interrupted.value.rest)) == sorted(ids)  # nothing dropped
    assert not sent & set(interrupted.value.rest)  # nothing handed on that went out
    assert not Message.objects.filter(pk__in=ids, status="sending").exists()  # nothing left claimed
    assert set(Message.objects.filter(pk__in=interrupted.value.rest).values_list("attempts", flat=True)) == {
        0
    }
    assert len(sent) == (10 if strikes_in == "claim" else 1)
