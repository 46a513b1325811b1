"""The outbox. Every message Bridge sends goes through message_queue and message_send.

The life of a row: message_queue writes it `queued` inside the caller's transaction and,
after commit, hands one send task per row to the broker (message_dispatch). A worker claims
the row (`sending`) under select_for_update, delivers it, and marks it `sent`. A transient
failure puts it back to `queued` with a next attempt time (backoff kept in the database,
never as an ETA task in the broker), up to settings.MESSAGING_MAX_ATTEMPTS, then `failed`
with the reason. message_sweep, run by Celery beat, hands out again the rows the broker
never got, the rows whose retry is due and the rows whose worker died while sending.
"""

import logging
import smtplib
import threading
import time
from dataclasses import dataclass, replace
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Message
from .segments import sms_fit, sms_length

logger = logging.getLogger(__name__)

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@dataclass(frozen=True)
class Outgoing:
    key: str
    channel: str
    address: str
    language: str
    subject: str
    body: str
    html_body: str = ""
    headers: dict | None = None


def _setting(name: str, default):
    return getattr(settings, name, default)


def sms_max_segments() -> int:
    return int(_setting("SMS_MAX_SEGMENTS", 3))


def _fit_sms(o: Outgoing) -> Outgoing:
    """The last guard on SMS length: callers compose to fit, this cuts what still does not."""
    if o.channel != Message.Channel.SMS:
        return o
    limit = sms_max_segments()
    if sms_length(o.body).segments <= limit:
        return o
    logger.warning("SMS %s is longer than %d segments; shortened", o.key, limit)
    return replace(o, body=sms_fit(o.body, max_segments=limit))


def message_queue(*, outgoing: list[Outgoing]) -> list[int]:
    """Write outbox rows (skipping keys that already exist) and send each after commit.

    Call it inside the transaction of the change that causes the messages: the rows commit
    or roll back with it. Returns the ids of the rows that are queued (new ones, and old ones
    with the same key still waiting); a key already sent or failed queues nothing.
    """
    if not outgoing:
        return []
    rows = [
        Message(
            key=o.key,
            channel=o.channel,
            address=o.address,
            language=o.language,
            subject=o.subject[:250],
            body=o.body,
            html_body=o.html_body,
            headers=o.headers or {},
        )
        for o in map(_fit_sms, outgoing)
    ]
    keys = [r.key for r in rows]
    with transaction.atomic():
        Message.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        ids: list[int] = []
        for start in range(0, len(keys), 5000):
            ids += Message.objects.filter(
                key__in=keys[start : start + 5000], status=Message.Status.QUEUED
            ).values_list("id", flat=True)
        # Queued after commit: do not move out of on_commit, a worker must see the rows.
        transaction.on_commit(lambda: message_dispatch(message_ids=ids))
    return ids


def message_dispatch(*, message_ids: list[int]) -> int:
    """Hand rows to Celery; returns how many were handed over.

    A few rows go one task each (messaging.send_message). A fan-out goes in batches of
    MESSAGING_DISPATCH_BATCH ids (messaging.send_batch): a broker round trip and a task's
    overhead cost more than sending one e-mail, so thousands of single tasks would take
    longer to queue than to send. Each row is still claimed on its own, so a batch that is
    redelivered, or overlaps a single task, sends nothing twice.

    If the broker is down the rows stay queued, undispatched, for the sweep. One producer
    (one connection) serves the whole call.
    """
    if not message_ids:
        return 0
    from bridge.celery import app

    from .tasks import send_batch, send_message

    size = max(1, int(_setting("MESSAGING_DISPATCH_BATCH", 50)))
    if len(message_ids) <= size // 2:
        chunks = [[message_id] for message_id in message_ids]
    else:
        chunks = [message_ids[i : i + size] for i in range(0, len(message_ids), size)]
    if app.conf.task_always_eager:  # no broker (a first local run): send in-process
        for chunk in chunks:
            send_message.delay(chunk[0]) if len(chunk) == 1 else send_batch.delay(chunk)
        return len(message_ids)
    done: list[int] = []
    try:
        with app.producer_or_acquire() as producer:
            for chunk in chunks:
                if len(chunk) == 1:
                    send_message.apply_async((chunk[0],), producer=producer)
                else:
                    send_batch.apply_async((chunk,), producer=producer)
                done += chunk
    except Exception as exc:  # broker unreachable: the periodic sweep re-queues
        logger.warning(
            "Broker unavailable, %d messages left for the sweep: %s", len(message_ids) - len(done), exc
        )
    now = timezone.now()
    for start in range(0, len(done), 5000):
        Message.objects.filter(pk__in=done[start : start + 5000], status=Message.Status.QUEUED).update(
            dispatched_at=now
        )
    return len(done)


class TransientError(Exception):
    """A failure worth retrying (connection refused, timeout, SMTP 4xx)."""


def retry_delay(attempts: int) -> timedelta:
    """Backoff before attempt number attempts + 1: base, 2x base, 4x base ... capped."""
    base = int(_setting("MESSAGING_RETRY_BASE_SECONDS", 30))
    cap = int(_setting("MESSAGING_RETRY_MAX_SECONDS", 3600))
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def message_send(*, message_id: int) -> str:
    """Send one queued row exactly once. Returns the row's resulting status.

    The row is claimed under select_for_update: a second worker holding a redelivered task
    finds it 'sending' or 'sent' and does nothing.
    """
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != Message.Status.QUEUED:
            return message.status if message else "missing"
        if message.next_attempt_at and message.next_attempt_at > now:
            return "deferred"  # an early redelivery; the sweep hands it out when it is due
        message.status = Message.Status.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts", "updated_at"])
    return message_deliver(message=message)


def message_claim(*, message_ids: list[int]) -> list[Message]:
    """Claim every queued, due row of a batch in one statement (one commit, not one per row).
    Rows another worker holds are skipped, never waited for."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(pk__in=message_ids, status=Message.Status.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("pk")
        )
        Message.objects.filter(pk__in=[r.pk for r in rows]).update(
            status=Message.Status.SENDING, attempts=F("attempts") + 1, updated_at=now
        )
    for row in rows:
        row.status, row.attempts = Message.Status.SENDING, row.attempts + 1
    return rows


CLAIM_SLICE = 10


def message_send_batch(*, message_ids: list[int], budget_seconds: float) -> tuple[int, list[int]]:
    """Send rows one after the other, claimed together a slice at a time; stop starting new
    slices once `budget_seconds` have passed. Returns (rows sent, ids not yet tried).

    Claimed in slices, so that a worker killed half-way leaves few rows 'sending' (the sweep
    re-queues them); each row is marked sent as soon as it is.
    """
    started = time.monotonic()
    sent = 0
    for position in range(0, len(message_ids), CLAIM_SLICE):
        if time.monotonic() - started > budget_seconds:
            return sent, message_ids[position:]
        for message in message_claim(message_ids=message_ids[position : position + CLAIM_SLICE]):
            try:
                sent += message_deliver(message=message) == "sent"
            except TransientError:
                continue  # the row waits for its next attempt; the others go on
    return sent, []


def message_deliver(*, message: Message) -> str:
    """Deliver a row this worker has claimed ('sending') and record the outcome."""
    try:
        _deliver(message)
    except TransientError as exc:
        max_attempts = int(_setting("MESSAGING_MAX_ATTEMPTS", 5))
        if message.attempts >= max_attempts:
            Message.objects.filter(pk=message.pk).update(
                status=Message.Status.FAILED,
                last_error=f"Gave up after {message.attempts} attempts: {exc}"[:1000],
                updated_at=timezone.now(),
            )
            return Message.Status.FAILED
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.QUEUED,
            last_error=f"Attempt {message.attempts} of {max_attempts} failed: {exc}"[:1000],
            next_attempt_at=timezone.now() + retry_delay(message.attempts),
            dispatched_at=None,
            updated_at=timezone.now(),
        )
        raise
    except Exception as exc:
        logger.exception("Message %s failed permanently", message.pk)
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.FAILED,
            last_error=f"{exc.__class__.__name__}: {exc}"[:1000],
            updated_at=timezone.now(),
        )
        return Message.Status.FAILED
    # Marked sent row by row, right after each send: a crash then leaves at most the one
    # row in flight to be sent again, never a batch.
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENT, sent_at=timezone.now(), last_error="", updated_at=timezone.now()
    )
    return Message.Status.SENT


def message_mark_failed(*, message_id: int, reason: str) -> None:
    Message.objects.filter(pk=message_id).exclude(status=Message.Status.SENT).update(
        status=Message.Status.FAILED, last_error=reason[:1000], updated_at=timezone.now()
    )


def message_sweep(*, now=None) -> dict[str, int]:
    """Recover what a crash or an outage left behind. Safe to run often and concurrently:
    a row handed out twice is claimed once.

    - `sending` for longer than MESSAGING_SENDING_TIMEOUT_SECONDS: the worker died (the
      task time limit is far shorter), so the row goes back to `queued`, or to `failed`
      once it has used every attempt;
    - `queued` and never handed to the broker, older than MESSAGING_QUEUED_GRACE_SECONDS:
      the broker was down at commit, or a transient failure's retry is due;
    - `queued`, handed out longer than MESSAGING_REDISPATCH_SECONDS ago: the task was lost
      (a worker that prefetched it died; the broker lost it).
    """
    now = now or timezone.now()
    max_attempts = int(_setting("MESSAGING_MAX_ATTEMPTS", 5))
    timeout = timedelta(seconds=int(_setting("MESSAGING_SENDING_TIMEOUT_SECONDS", 300)))
    grace = timedelta(seconds=int(_setting("MESSAGING_QUEUED_GRACE_SECONDS", 30)))
    redispatch = timedelta(seconds=int(_setting("MESSAGING_REDISPATCH_SECONDS", 300)))
    batch = int(_setting("MESSAGING_SWEEP_BATCH", 5000))

    stuck = Message.objects.filter(status=Message.Status.SENDING, updated_at__lt=now - timeout)
    gave_up = stuck.filter(attempts__gte=max_attempts).update(
        status=Message.Status.FAILED,
        last_error=f"The worker was lost while sending, {max_attempts} times; gave up.",
        updated_at=now,
    )
    requeued = stuck.update(
        status=Message.Status.QUEUED,
        dispatched_at=None,
        next_attempt_at=None,
        last_error="The worker was lost while sending; queued again.",
        updated_at=now,
    )
    due = (
        Message.objects.filter(status=Message.Status.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(
            Q(dispatched_at__isnull=True, created_at__lt=now - grace)
            | Q(dispatched_at__isnull=True, next_attempt_at__isnull=False)
            | Q(dispatched_at__lt=now - redispatch)
        )
        .order_by("created_at")
    )
    ids = list(due.values_list("id", flat=True)[:batch])
    dispatched = message_dispatch(message_ids=ids)
    if gave_up or requeued or ids:
        logger.info(
            "Outbox sweep: %d stuck rows re-queued, %d failed, %d of %d due rows handed out",
            requeued,
            gave_up,
            dispatched,
            len(ids),
        )
    return {"requeued": requeued, "failed": gave_up, "due": len(ids), "dispatched": dispatched}


@transaction.atomic
def message_retry(*, message_ids: list[int]) -> int:
    """Give failed rows a fresh set of attempts (the admin's "send again")."""
    ids = list(
        Message.objects.filter(pk__in=message_ids, status=Message.Status.FAILED).values_list("id", flat=True)
    )
    Message.objects.filter(pk__in=ids).update(
        status=Message.Status.QUEUED,
        attempts=0,
        next_attempt_at=None,
        dispatched_at=None,
        updated_at=timezone.now(),
    )
    transaction.on_commit(lambda: message_dispatch(message_ids=ids))
    return len(ids)


def message_forget(
    *,
    rows: Q,
    stop_queued: bool = True,
    reason: str = "The recipient unsubscribed before it was sent.",
    placeholder: str = "(removed)",
) -> int:
    """Remove a person's address from their outbox rows: every row keeps its history without
    the address. `rows` selects them, e.g. by the keys of the app that wrote them.

    stop_queued: rows not yet sent are stopped with `reason` (an unsubscribe); without it,
    rows still queued or sending keep their address so they can still go out (a retention
    purge must not cut off an answer on its way)."""
    selected = Message.objects.filter(rows)
    now = timezone.now()
    if stop_queued:
        selected.filter(status=Message.Status.QUEUED).update(
            status=Message.Status.FAILED, last_error=reason, updated_at=now
        )
    else:
        selected = selected.exclude(status=Message.Status.QUEUED)
    return selected.exclude(status=Message.Status.SENDING).update(address=placeholder, updated_at=now)


def _deliver(message: Message) -> None:
    if message.channel == Message.Channel.EMAIL:
        _send_email(message)
    else:
        from .sms import get_sms_backend

        get_sms_backend().send(to=message.address, body=message.body)


# One SMTP connection per worker thread, reused from task to task: opening a connection per
# message costs more than sending it. Checked with NOOP before each use.
_smtp = threading.local()


def _smtp_connection():
    if settings.EMAIL_BACKEND != SMTP_BACKEND:
        return None  # file, console and in-memory backends: one connection per message
    wanted = (settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER)
    conn = getattr(_smtp, "conn", None)
    # NOOP only a connection that sat idle: servers drop those; one just used is alive.
    idle = time.monotonic() - getattr(_smtp, "used", 0.0) > 5
    if conn is not None and (getattr(_smtp, "target", None) != wanted or (idle and not _alive(conn))):
        _drop_smtp()
        conn = None
    if conn is None:
        conn = get_connection(timeout=int(_setting("EMAIL_TIMEOUT", 30) or 30))
        conn.open()
        _smtp.conn, _smtp.target = conn, wanted
    _smtp.used = time.monotonic()
    return conn


def _alive(conn) -> bool:
    if conn.connection is None:
        return False
    try:
        return conn.connection.noop()[0] == 250
    except (smtplib.SMTPException, OSError):
        return False


def _drop_smtp() -> None:
    conn = getattr(_smtp, "conn", None)
    _smtp.conn = None
    if conn is not None:
        try:
            conn.close()
        except Exception:  # noqa: S110 - a broken connection is being thrown away anyway
            pass


def _email_headers(message: Message) -> dict:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "localhost"
    headers = {
        # Stable per row: a receiving server can drop the copy a crash might still produce.
        "Message-ID": f"<bridge-{message.pk}-{int(message.created_at.timestamp())}@{domain}>",
        "Content-Language": message.language,
    }
    headers.update(message.headers or {})
    return headers


def _send_email(message: Message) -> None:
    try:
        connection = _smtp_connection()
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body,
            to=[message.address],
            headers=_email_headers(message),
            connection=connection,
        )
        if message.html_body:
            email.attach_alternative(message.html_body, "text/html")
        email.send()
    except (TimeoutError, ConnectionError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as exc:
        _drop_smtp()
        raise TransientError(str(exc) or exc.__class__.__name__) from exc
    except smtplib.SMTPResponseException as exc:
        _drop_smtp()
        if 400 <= exc.smtp_code < 500:
            raise TransientError(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}") from exc
        raise
    except smtplib.SMTPException:
        _drop_smtp()
        raise  # recipients refused and the like: retrying will not help
    except OSError as exc:  # connection refused, no route: smtplib's errors are OSErrors too
        _drop_smtp()
        raise TransientError(str(exc) or exc.__class__.__name__) from exc
