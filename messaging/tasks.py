import time

from celery import shared_task

from . import services

# A batch stops and hands the rest on well before CELERY_TASK_SOFT_TIME_LIMIT, so a slow
# mail server never gets a batch killed half-way (which would leave a row 'sending').
BATCH_SECONDS = 20
CLAIM_SLICE = 10


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
    """Send a fan-out's rows one after the other, claimed together in one statement.

    Claimed in slices, so that a worker killed half-way leaves few rows 'sending' (the sweep
    re-queues them); each row is marked sent as soon as it is.
    """
    started = time.monotonic()
    sent = 0
    for position in range(0, len(message_ids), CLAIM_SLICE):
        if time.monotonic() - started > BATCH_SECONDS:
            send_batch.delay(message_ids[position:])
            break
        for message in services.message_claim(message_ids=message_ids[position : position + CLAIM_SLICE]):
            try:
                sent += services.message_deliver(message=message) == "sent"
            except services.TransientError:
                continue  # the row waits for its next attempt; the others go on
    return sent


@shared_task(name="messaging.sweep_outbox")
def sweep_outbox() -> dict:
    """Run by Celery beat every MESSAGING_SWEEP_SECONDS (see settings)."""
    return services.message_sweep()
