from celery import shared_task

from . import services


@shared_task(name="feedback.purge_concern_contacts", acks_late=True)
def purge_concern_contacts() -> int:
    """Run daily by Celery beat (settings: CELERY_BEAT_SCHEDULE). Idempotent."""
    return services.concern_contacts_purge()


@shared_task(name="feedback.queue_followups", acks_late=True)
def queue_followups() -> int:
    """Run hourly by Celery beat: "was it resolved?" for concerns that are due. Idempotent."""
    return services.followups_queue_due()
