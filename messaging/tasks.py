from celery import shared_task

from . import services


@shared_task(
    name="messaging.send_message",
    bind=True,
    acks_late=True,
    max_retries=5,
    retry_backoff=True,
)
def send_message(self, message_id: int) -> str:
    """Load-call-retry: takes an id, never a model instance."""
    try:
        return services.message_send(message_id=message_id)
    except services.TransientError as exc:
        if self.request.retries >= self.max_retries:
            services.message_mark_failed(message_id=message_id, reason=f"gave up after retries: {exc}")
            return "failed"
        raise self.retry(exc=exc, countdown=min(2**self.request.retries * 5, 300)) from exc
