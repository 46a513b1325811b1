from celery import shared_task

from . import services


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


@shared_task(name="messaging.sweep_outbox")
def sweep_outbox() -> dict:
    """Run by Celery beat every MESSAGING_SWEEP_SECONDS (see settings)."""
    return services.message_sweep()
