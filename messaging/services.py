"""The outbox. Every message Bridge sends goes through message_queue and message_send."""

import logging
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import Message

logger = logging.getLogger(__name__)


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


def message_queue(*, outgoing: list[Outgoing]) -> list[int]:
    """Write outbox rows (skipping keys that already exist) and send each after commit.

    Call it inside the transaction of the change that causes the messages: the rows commit
    or roll back with it.
    """
    if not outgoing:
        return []
    rows = [
        Message(
            key=o.key,
            channel=o.channel,
            address=o.address,
            language=o.language,
            subject=o.subject,
            body=o.body,
            html_body=o.html_body,
            headers=o.headers or {},
        )
        for o in outgoing
    ]
    with transaction.atomic():
        Message.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        ids = list(
            Message.objects.filter(
                key__in=[o.key for o in outgoing], status=Message.Status.QUEUED
            ).values_list("id", flat=True)
        )
        # Queued after commit: do not move out of on_commit, a worker must see the rows.
        transaction.on_commit(lambda: message_dispatch(message_ids=ids))
    return ids


def message_dispatch(*, message_ids: list[int]) -> None:
    """Hand rows to Celery. If the broker is down the rows stay queued for the sweep."""
    from .tasks import send_message

    for message_id in message_ids:
        try:
            send_message.delay(message_id)
        except Exception as exc:  # broker unreachable: the periodic sweep re-queues
            logger.warning("Broker unavailable, %d messages left for the sweep: %s", len(message_ids), exc)
            return


class TransientError(Exception):
    """A failure worth retrying (connection refused, timeout, SMTP 4xx)."""


def message_send(*, message_id: int) -> str:
    """Send one queued row exactly once. Returns the row's resulting status.

    The row is claimed under select_for_update: a second worker holding a redelivered task
    finds it 'sending' or 'sent' and does nothing.
    """
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != Message.Status.QUEUED:
            return message.status if message else "missing"
        message.status = Message.Status.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts", "updated_at"])
    try:
        _deliver(message)
    except TransientError as exc:
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.QUEUED, last_error=str(exc)[:1000], updated_at=timezone.now()
        )
        raise
    except Exception as exc:
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.FAILED, last_error=str(exc)[:1000], updated_at=timezone.now()
        )
        return Message.Status.FAILED
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENT, sent_at=timezone.now(), last_error="", updated_at=timezone.now()
    )
    return Message.Status.SENT


def message_mark_failed(*, message_id: int, reason: str) -> None:
    Message.objects.filter(pk=message_id).exclude(status=Message.Status.SENT).update(
        status=Message.Status.FAILED, last_error=reason[:1000], updated_at=timezone.now()
    )


def _deliver(message: Message) -> None:
    if message.channel == Message.Channel.EMAIL:
        _send_email(message)
    else:
        from .sms import get_sms_backend

        get_sms_backend().send(to=message.address, body=message.body)


def _send_email(message: Message) -> None:
    import smtplib

    email = EmailMultiAlternatives(
        subject=message.subject, body=message.body, to=[message.address], headers=message.headers
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    try:
        email.send()
    except (TimeoutError, ConnectionError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as exc:
        raise TransientError(str(exc)) from exc
    except smtplib.SMTPResponseException as exc:
        if 400 <= exc.smtp_code < 500:
            raise TransientError(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}") from exc
        raise
