from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from . import services

# The send tasks' own limits, longer than the project default: a batch starts no message
# after MESSAGING_BATCH_SECONDS, and one slow message (a server taking its time, up to
# EMAIL_TIMEOUT per command) must still fit before the soft limit. If it strikes anyway the
# row in flight is left for the sweep (MESSAGING_SENDING_TIMEOUT_SECONDS, longer than these).
# Celery puts the sending process's limits in each task message and the worker obeys those:
# web and worker processes must read the same settings.
SEND_LIMITS = {
    "soft_time_limit": settings.MESSAGING_SEND_SOFT_TIME_LIMIT,
    "time_limit": settings.MESSAGING_SEND_TIME_LIMIT,
}


@shared_task(name="messaging.send_message", bind=True, acks_late=True, **SEND_LIMITS)
def send_message(self, message_id: int) -> str:
    """Load-call: takes an id, never a model instance.

    A transient failure is not retried here with a countdown: that would park an ETA task in
    the broker, which Redis redelivers after its visibility timeout (a duplicate send). The
    row records when to try again, and the outbox sweep hands it out then.
    """
    try:
        return services.message_send(message_id=message_id)
    except services.TransientError:
        return "retry-later"


@shared_task(name="messaging.send_batch", acks_late=True, **SEND_LIMITS)
def send_batch(message_ids: list[int]) -> int:
    """Load-call: send a fan-out's rows; whatever the time budget left over goes on in a new
    task, and so do the rows not started when the soft time limit ended this one."""
    try:
        sent, rest = services.message_send_batch(
            message_ids=message_ids, budget_seconds=settings.MESSAGING_BATCH_SECONDS
        )
    except services.BatchInterrupted as interrupted:
        _hand_on(interrupted.rest)
        raise interrupted.__cause__ from None  # the task still ends as the limit says
    _hand_on(rest)
    return sent


def _hand_on(rest: list[int]) -> None:
    """Queue the rest as a new batch. The soft time limit strikes once: if it strikes while
    this publishes, publish again, then let it end the task (the rest is never dropped)."""
    if not rest:
        return
    try:
        send_batch.delay(rest)
    except SoftTimeLimitExceeded:
        send_batch.delay(rest)
        raise


@shared_task(name="messaging.sweep_outbox")
def sweep_outbox() -> dict:
    """Run by Celery beat every MESSAGING_SWEEP_SECONDS (see settings)."""
    return services.message_sweep()


@shared_task(name="messaging.expire_addresses")
def expire_addresses() -> int:
    """Run by Celery beat daily: erase addresses older than MESSAGING_ADDRESS_RETENTION_DAYS."""
    return services.message_addresses_expire()
