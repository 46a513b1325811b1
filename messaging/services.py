"""The outbox. Every message Bridge sends goes through message_queue and message_send.

The life of a row: message_queue writes it `queued` inside the caller's transaction and,
after commit, hands its id to the broker (message_dispatch: one task per row, or batches for
a fan-out). A worker claims the row (`sending`) under select_for_update, delivers it, and
marks it `sent`. A transient failure (connection refused or dropped before the message went
out, a timeout, any SMTP 4xx, per recipient or per command) puts it back to `queued` with a
next attempt time (backoff kept in the database, never as an ETA task in the broker), up to
settings.MESSAGING_MAX_ATTEMPTS, then `failed` with the reason; a 5xx fails it at once.

A row whose whole message reached the server but whose answer never came (the connection
dropped or the answer timed out after the final CRLF.CRLF; see messaging/smtp.py) may have
been delivered: it becomes `unconfirmed`, with the reason, and is never sent again on its
own; staff can send it again from the admin.

A batch checks its time budget (MESSAGING_BATCH_SECONDS) before every message and hands the
rows it has not started to a new task, so one slow message still fits before the send tasks'
soft time limit. If that limit strikes anyway, the row being sent is left `sending` for the
sweep (or `unconfirmed`, if its data had gone out), never `failed`. After any error the
thread's SMTP connection is thrown away: an interrupted command leaves its answer unread,
and the next message would take it for its own.

message_sweep, run by Celery beat, hands out again the rows the broker never got, the rows
whose retry is due and the rows whose worker died or was interrupted while sending.
message_addresses_expire erases the address, the body and the headers of finished rows after
MESSAGING_ADDRESS_RETENTION_DAYS.

A row queued with `secret=True` (a password-reset or "choose your password" link) loses its
body the moment it is finished (sent, failed or unconfirmed): the link is a credential and
the outbox is no place to keep one. Such a row cannot be sent again; the person asks for a
new link instead.

An SMS to a number that replied STOP (an SmsOptOut row) is never sent, whichever app queued
it: when its turn comes it is marked `failed`, "recipient replied STOP".

Each row is sent inside its own agency (agencies.context.use(row.agency_id)): its From, its
SMS number and the STOP list it is checked against are that agency's. A task's header
carries the publisher's agency, but the sweep's batches mix agencies, so the rows of a task
are loaded through `all_agencies` (by id: the ids are the scope) and the agency is set per row.
"""

import logging
import smtplib
import threading
import time
from dataclasses import dataclass, replace
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Case, F, Q, TextField, Value, When
from django.db.models.functions import Replace
from django.utils import timezone

from agencies import conf
from agencies import context as agency_context

from . import smtp as tracking
from .models import Message, SmsOptOut
from .segments import sms_fit, sms_length

logger = logging.getLogger(__name__)

# EMAIL_BACKEND values that mean "SMTP": the outbox then sends through messaging.smtp's
# backend, which knows whether a message's data went out before a failure.
SMTP_BACKENDS = {"django.core.mail.backends.smtp.EmailBackend", "messaging.smtp.EmailBackend"}
# What an erased address becomes: the row keeps its history without it.
ADDRESS_REMOVED = "(removed)"
# What an erased body becomes (retention, a concern's purge).
BODY_REMOVED = "(removed)"
# What a secret row's body becomes once it is finished.
LINK_REMOVED = "(removed after sending: it held a sign-in link)"
FINISHED = ("sent", "failed", "unconfirmed")
# Why an SMS to a number that replied STOP was not sent (shown to staff on the row).
OPTED_OUT_REASON = "recipient replied STOP"


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
    # The body is a credential (a sign-in link): erased once the row is finished, never
    # shown in the admin.
    secret: bool = False


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
            holds_secret=o.secret,
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
    from .tasks import send_batch, send_message  # noqa: PLC0415 - tasks import this module

    app = send_message.app  # the project's Celery app, without importing the wiring floor

    size = max(1, int(_setting("MESSAGING_DISPATCH_BATCH", 50)))
    if len(message_ids) <= size // 2:
        chunks = [[message_id] for message_id in message_ids]
    else:
        chunks = [message_ids[i : i + size] for i in range(0, len(message_ids), size)]
    if app.conf.task_always_eager:  # no broker (a first local run): send in-process
        for chunk in chunks:
            send_message.delay(chunk[0]) if len(chunk) == 1 else send_batch.delay(chunk)
        return len(message_ids)
    # Marked before they are published, never after: a worker may take a task the moment it
    # is published, and its claim skips rows another statement has locked; an update still
    # running over those rows would make it skip them for good (they waited for the sweep).
    now = timezone.now()
    for start in range(0, len(message_ids), 5000):
        Message.all_agencies.filter(
            pk__in=message_ids[start : start + 5000], status=Message.Status.QUEUED
        ).update(dispatched_at=now)
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
        left = message_ids[len(done) :]  # chunks go in order: the rest were never published
        for start in range(0, len(left), 5000):
            Message.all_agencies.filter(
                pk__in=left[start : start + 5000], status=Message.Status.QUEUED, dispatched_at=now
            ).update(dispatched_at=None)
    return len(done)


class TransientError(Exception):
    """A failure worth retrying (connection refused, timeout, SMTP 4xx)."""


class Unconfirmed(Exception):
    """The whole message went to the server but no answer came back: it may be delivered."""


class BatchInterrupted(Exception):
    """A batch stopped by an exception it must not swallow (the soft time limit); `rest` are
    the ids it had not started, already put back to `queued`, for the caller to hand on."""

    def __init__(self, rest: list[int]):
        super().__init__(f"{len(rest)} messages not started")
        self.rest = rest


UNCONFIRMED_REASON = (
    "The mail server received the whole message but its answer never arrived ({detail}), "
    "so it may have been delivered. Not sent again automatically, to avoid a second copy: "
    "check with the recipient, then use 'send again' if it did not arrive."
)


def _secret_erased() -> dict:
    """Fields for an update that finishes rows: a secret row's body goes in the same
    statement, so no finished row ever keeps its link. Other rows keep theirs."""
    return {
        "body": Case(
            When(holds_secret=True, then=Value(LINK_REMOVED)), default=F("body"), output_field=TextField()
        ),
        "html_body": Case(
            When(holds_secret=True, then=Value("")), default=F("html_body"), output_field=TextField()
        ),
    }


def _body_erased() -> dict:
    """Fields for an update that erases bodies (and the headers, which can repeat a personal
    link: List-Unsubscribe); a secret row keeps saying what it held."""
    return {
        "body": Case(
            When(holds_secret=True, then=Value(LINK_REMOVED)),
            default=Value(BODY_REMOVED),
            output_field=TextField(),
        ),
        "html_body": "",
        "headers": {},
    }


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
        message = Message.all_agencies.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != Message.Status.QUEUED:
            return message.status if message else "missing"
        if message.next_attempt_at and message.next_attempt_at > now:
            return "deferred"  # an early redelivery; the sweep hands it out when it is due
        message.status = Message.Status.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts", "updated_at"])
    with agency_context.use(message.agency_id):
        return message_deliver(message=message)


def message_claim(*, message_ids: list[int]) -> list[Message]:
    """Claim every queued, due row of a batch in one statement (one commit, not one per row).
    Rows another worker holds are skipped, never waited for."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Message.all_agencies.select_for_update(skip_locked=True)
            .filter(pk__in=message_ids, status=Message.Status.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("pk")
        )
        Message.all_agencies.filter(pk__in=[r.pk for r in rows]).update(
            status=Message.Status.SENDING, attempts=F("attempts") + 1, updated_at=now
        )
    for row in rows:
        row.status, row.attempts = Message.Status.SENDING, row.attempts + 1
    return rows


def message_release(*, message_ids: list[int]) -> int:
    """Put rows this worker claimed but never started back to `queued`, undoing the attempt
    the claim counted, so whoever takes them next starts from the same place."""
    if not message_ids:
        return 0
    return Message.all_agencies.filter(
        pk__in=message_ids, status=Message.Status.SENDING, attempts__gt=0
    ).update(status=Message.Status.QUEUED, attempts=F("attempts") - 1, updated_at=timezone.now())


CLAIM_SLICE = 10


def message_send_batch(*, message_ids: list[int], budget_seconds: float) -> tuple[int, list[int]]:
    """Send rows one after the other, claimed together a slice at a time. The budget is
    checked before every message: once `budget_seconds` have passed, the claimed rows not yet
    started go back to `queued`. Returns (rows sent, ids not yet tried) for the caller to hand on.

    The budget must leave room for one slow message before the task's soft time limit. If an
    exception ends the batch anyway, wherever it strikes (mid-send: message_deliver has dealt
    with the row in flight; mid-claim; mid-release), the rows not started are released and
    BatchInterrupted carries every id not yet tried. Handing an id on twice is harmless: only a
    `queued` row can be claimed, so a row already sent or in flight is skipped.

    Claimed in slices, so that a worker killed half-way leaves few rows 'sending' (the sweep
    re-queues them); each row is marked sent as soon as it is.
    """
    started = time.monotonic()
    sent = 0
    position = 0  # message_ids[position:] are not claimed yet
    pending: list[int] = []  # claimed, not started
    released: list[int] = []  # claimed, given back, to hand on
    over = lambda: time.monotonic() - started > budget_seconds  # noqa: E731
    try:
        while position < len(message_ids):
            if over():
                return sent, message_ids[position:]
            chunk = message_ids[position : position + CLAIM_SLICE]
            claimed = message_claim(message_ids=chunk)
            position += len(chunk)
            pending = [m.pk for m in claimed]
            for message in claimed:
                if over():
                    message_release(message_ids=pending)
                    released, pending = pending, []
                    return sent, released + message_ids[position:]
                pending.remove(message.pk)
                try:
                    with agency_context.use(message.agency_id):  # a sweep's batch mixes agencies
                        sent += message_deliver(message=message) == Message.Status.SENT
                except TransientError:
                    continue  # the row waits for its next attempt; the others go on
    except BaseException as exc:
        try:
            message_release(message_ids=pending)
        except Exception:  # the database is gone too: the sweep re-queues them later
            logger.exception("Could not release %d claimed messages", len(pending))
        raise BatchInterrupted(released + pending + message_ids[position:]) from exc
    return sent, []


def message_deliver(*, message: Message) -> str:
    """Deliver a row this worker has claimed ('sending') and record the outcome.

    The soft time limit (an Exception subclass, so it is named before `except Exception`)
    is no verdict on the message: the row stays `sending` for the sweep and the limit is
    raised again for the task to end."""
    if message.channel == Message.Channel.SMS and sms_opted_out(phone=message.address):
        # Checked here, at the last moment, not when the row was queued: a STOP that arrives
        # while a fan-out is on its way still stops the rows not yet sent.
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.FAILED,
            last_error=OPTED_OUT_REASON,
            updated_at=timezone.now(),
            **_secret_erased(),
        )
        return Message.Status.FAILED
    try:
        _deliver(message)
    except SoftTimeLimitExceeded:
        logger.warning("Message %s interrupted by the time limit before it went out", message.pk)
        Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(
            last_error="Interrupted by the task's time limit before the message went out; "
            "the sweep queues it again.",
            updated_at=timezone.now(),
        )
        raise
    except Unconfirmed as exc:
        logger.warning("Message %s unconfirmed: %s", message.pk, exc)
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.UNCONFIRMED,
            last_error=UNCONFIRMED_REASON.format(detail=exc)[:1000],
            updated_at=timezone.now(),
            **_secret_erased(),
        )
        cause = exc.__cause__
        if isinstance(cause, SoftTimeLimitExceeded) or not isinstance(cause, Exception):
            raise cause from None  # the time limit (or a shutdown) still ends the task
        return Message.Status.UNCONFIRMED
    except TransientError as exc:
        max_attempts = int(_setting("MESSAGING_MAX_ATTEMPTS", 5))
        if message.attempts >= max_attempts:
            Message.objects.filter(pk=message.pk).update(
                status=Message.Status.FAILED,
                last_error=f"Gave up after {message.attempts} attempts: {exc}"[:1000],
                updated_at=timezone.now(),
                **_secret_erased(),
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
            **_secret_erased(),
        )
        return Message.Status.FAILED
    # Marked sent row by row, right after each send: a crash then leaves at most the one
    # row in flight to be sent again, never a batch.
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENT,
        sent_at=timezone.now(),
        last_error="",
        updated_at=timezone.now(),
        **_secret_erased(),
    )
    return Message.Status.SENT


# --- SMS opt-outs ----------------------------------------------------------------------
# A number that replied STOP gets no SMS from Bridge, whichever app queued it: the outbox
# refuses it at send time (message_deliver). Numbers are E.164, as every app stores them.


def sms_opt_out(*, phone: str) -> bool:
    """Record that `phone` replied STOP. True if it was not opted out already."""
    _obj, created = SmsOptOut.objects.get_or_create(phone=phone)
    return created


def sms_opt_in(*, phone: str) -> bool:
    """`phone` replied START: SMS may go to it again. True if it was opted out."""
    deleted, _per_model = SmsOptOut.objects.filter(phone=phone).delete()
    return bool(deleted)


def sms_opted_out(*, phone: str) -> bool:
    return SmsOptOut.objects.filter(phone=phone).exists()


def message_mark_failed(*, message_id: int, reason: str) -> None:
    Message.objects.filter(pk=message_id).exclude(status=Message.Status.SENT).update(
        status=Message.Status.FAILED, last_error=reason[:1000], updated_at=timezone.now(), **_secret_erased()
    )


def message_sweep(*, now=None) -> dict[str, int]:
    """Recover what a crash or an outage left behind. Safe to run often and concurrently:
    a row handed out twice is claimed once.

    - `sending` for longer than MESSAGING_SENDING_TIMEOUT_SECONDS: the worker died, or the
      soft time limit interrupted it before the message went out (the send tasks' hard
      limit is far shorter), so the row goes back to `queued`, or to `failed` once it has
      used every attempt;
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

    # Deployment-wide: every agency's rows, whatever agency the caller works for.
    stuck = Message.all_agencies.filter(status=Message.Status.SENDING, updated_at__lt=now - timeout)
    gave_up = stuck.filter(attempts__gte=max_attempts).update(
        status=Message.Status.FAILED,
        last_error=f"The worker was lost or interrupted while sending, {max_attempts} times; gave up.",
        updated_at=now,
        **_secret_erased(),
    )
    requeued = stuck.update(
        status=Message.Status.QUEUED,
        dispatched_at=None,
        next_attempt_at=None,
        last_error="The worker was lost or interrupted while sending; queued again.",
        updated_at=now,
    )
    due = (
        Message.all_agencies.filter(status=Message.Status.QUEUED)
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
    """Give failed and unconfirmed rows a fresh set of attempts (the admin's "send again").
    A row whose address was erased has nowhere to go, and a secret row has lost its body
    (the person asks for a new link): they stay as they are."""
    ids = list(
        Message.objects.filter(
            pk__in=message_ids, status__in=[Message.Status.FAILED, Message.Status.UNCONFIRMED]
        )
        .exclude(address=ADDRESS_REMOVED)
        .exclude(holds_secret=True)
        .values_list("id", flat=True)
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


def message_stop(*, rows: Q, reason: str) -> int:
    """Stop rows not yet handed to a mail or SMS server (their message was withdrawn): they are
    marked failed with `reason`, so no worker or sweep sends them. Rows already being sent, or
    sent, are left alone. Returns how many were stopped."""
    return Message.objects.filter(rows, status=Message.Status.QUEUED).update(
        status=Message.Status.FAILED, last_error=reason, updated_at=timezone.now(), **_secret_erased()
    )


def message_forget(
    *,
    rows: Q,
    stop_queued: bool = True,
    reason: str = "The recipient unsubscribed before it was sent.",
    placeholder: str = ADDRESS_REMOVED,
    erase_body: bool = False,
) -> int:
    """Remove a person's address from their outbox rows: every row keeps its history without
    the address, also where a failure reason quoted it. `rows` selects them, e.g. by the keys
    of the app that wrote them.

    stop_queued: rows not yet sent are stopped with `reason` (an unsubscribe); without it,
    rows still queued or sending keep their address so they can still go out (a retention
    purge must not cut off an answer on its way).
    erase_body: the body, the HTML body and the headers go too (see message_bodies_erase)."""
    selected = Message.objects.filter(rows)
    now = timezone.now()
    if stop_queued:
        selected.filter(status=Message.Status.QUEUED).update(
            status=Message.Status.FAILED, last_error=reason, updated_at=now, **_secret_erased()
        )
    else:
        selected = selected.exclude(status=Message.Status.QUEUED)
    return selected.exclude(status=Message.Status.SENDING).update(
        address=placeholder,
        # A mail server's refusal often quotes the address ("550 <layla@example.org>").
        last_error=Replace(F("last_error"), F("address"), Value(ADDRESS_REMOVED)),
        updated_at=now,
        **(_body_erased() if erase_body else {}),
    )


def message_bodies_erase(*, rows: Q) -> int:
    """Erase the body, the HTML body and the headers of the selected finished rows: what a
    message said can outlive its purpose (a concern's tracking code, status link and public
    response; a subscriber's unsubscribe link). Rows still queued or sending keep theirs so
    they can go out. The rows keep their history. Returns the rows erased (none a second time)."""
    erased = Q(body__in=[BODY_REMOVED, LINK_REMOVED], html_body="", headers={})
    return (
        Message.objects.filter(rows, status__in=FINISHED)
        .exclude(erased)
        .update(updated_at=timezone.now(), **_body_erased())
    )


def message_addresses_expire(*, now=None, days: int | None = None) -> int:
    """Each agency's outbox by its own period (with no agency being worked for, as in the
    daily beat sweep, every agency's in turn); given `days`, that period. See below."""
    return conf.by_retention_period(
        lambda days: _message_addresses_expire(now=now, days=days),
        conf.message_address_retention_days,
        days=days,
    )


def _message_addresses_expire(*, now=None, days: int) -> int:
    """Erase the address, the body and the headers of finished rows (sent, failed,
    unconfirmed) older than `days` (MESSAGING_ADDRESS_RETENTION_DAYS): the row keeps its
    history, not the person's address nor what it said to them (a notice's body carries the
    subscriber's own unsubscribe link). Rows still queued or sending keep theirs so they can
    go out. Rows whose address went before their body did (older runs) are erased too.
    Returns rows erased."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    old = (
        Q(status=Message.Status.SENT, sent_at__lt=cutoff)
        | Q(status__in=[Message.Status.FAILED, Message.Status.UNCONFIRMED], updated_at__lt=cutoff)
    ) & ~Q(address=ADDRESS_REMOVED, body__in=[BODY_REMOVED, LINK_REMOVED], html_body="", headers={})
    total = 0
    while ids := list(Message.objects.filter(old).values_list("id", flat=True)[:5000]):
        erased = message_forget(rows=Q(pk__in=ids), stop_queued=False, erase_body=True)
        total += erased
        if not erased:  # all of them changed hands meanwhile; the next run gets the rest
            break
    if total:
        logger.info("Outbox: erased the address and body of %d messages older than %d days", total, days)
    return total


def _deliver(message: Message) -> None:
    if message.channel == Message.Channel.EMAIL:
        _send_email(message)
    else:
        from .sms import get_sms_backend

        get_sms_backend().send(
            to=message.address, body=message.body, sender=conf.sms_number(agency=message.agency_id)
        )


# One SMTP connection per worker thread, reused from task to task: opening a connection per
# message costs more than sending it. Checked with NOOP after sitting idle; thrown away after
# any error (see _send_email).
_smtp = threading.local()


def _smtp_connection():
    if settings.EMAIL_BACKEND not in SMTP_BACKENDS:
        return None  # file, console and in-memory backends: one connection per message
    wanted = (settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER)
    conn = getattr(_smtp, "conn", None)
    # NOOP only a connection that sat idle: servers drop those; one just used is alive.
    idle = time.monotonic() - getattr(_smtp, "used", 0.0) > 5
    if conn is not None and (getattr(_smtp, "target", None) != wanted or (idle and not _alive(conn))):
        _drop_smtp()
        conn = None
    if conn is None:
        conn = tracking.EmailBackend(timeout=int(_setting("EMAIL_TIMEOUT", 30) or 30))
        _smtp.conn, _smtp.target = conn, wanted  # set first: a failed open is dropped too
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
    """Throw the thread's connection away: close the socket, without a polite QUIT. A
    connection dropped after an error may still owe an answer (a slow server's 250 to the
    last message), and QUIT would sit waiting for it, then read it as its own."""
    conn = getattr(_smtp, "conn", None)
    _smtp.conn = None
    if conn is None:
        return
    for smtp in (conn.connection, conn._partial_connection):
        if smtp is not None:
            try:
                smtp.close()
            except Exception:  # noqa: S110 - a broken connection is being thrown away anyway
                pass
    conn.connection = conn._partial_connection = None


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
    connection = None
    try:
        connection = _smtp_connection()
        tracking.data_state_clear(connection)
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body,
            to=[message.address],
            # Each agency's own sender (agencies.conf), shown with its name.
            from_email=conf.sender_email(agency=message.agency_id),
            headers=_email_headers(message),
            connection=connection,
        )
        if message.html_body:
            email.attach_alternative(message.html_body, "text/html")
        email.send()
    except BaseException as exc:
        # Whatever went wrong, this connection is not used again: a command cut short leaves
        # its answer unread, and the next message would read it as its own (the
        # SMTPDataError(250, b'OK') of a reused connection). Do not narrow this.
        data_sent, data_reply = tracking.data_state(connection)
        _drop_smtp()
        kind = tracking.classify(exc, data_sent=data_sent, data_reply=data_reply)
        detail = f"{exc.__class__.__name__}: {exc}".rstrip(": ")
        if kind == tracking.UNCONFIRMED:
            raise Unconfirmed(detail) from exc
        if isinstance(exc, SoftTimeLimitExceeded) or not isinstance(exc, Exception):
            raise  # before the message went out: message_deliver leaves the row for the sweep
        if kind == tracking.TRANSIENT:
            raise TransientError(detail) from exc
        raise
