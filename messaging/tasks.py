from celery import shared_task

from . import services

# A batch stops and hands the rest on well before CELERY_TASK_SOFT_TIME_LIMIT, so a slow
# mail server never gets a batch killed half-way (which would leave a row 'sending').
BATCH_SECONDS = 20


@shared_task(name="messaging.send_message", bind=True, acks_late=True)
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


@shared_task(name="messaging.send_batch", acks_late=True)
def send_batch(message_ids: list[int]) -> int:
    """Load-call: send a fan-out's rows; whatever the time budget left over goes on in a new task."""
    sent, rest = services.message_send_batch(message_ids=message_ids, budget_seconds=BATCH_SECONDS)
    if rest:
        send_batch.delay(rest)
    return sent


@shared_task(name="messaging.sweep_outbox")
def sweep_outbox() -> dict:
    """Run by Celery beat every MESSAGING_SWEEP_SECONDS (see settings)."""
    return services.message_sweep()
