from celery import shared_task

from . import services


@shared_task(name="outreach.send_due_reminders")
def send_due_reminders() -> int:
    """Run by Celery beat: reminders are found in the database, never held in the broker."""
    return services.reminders_queue_due()


@shared_task(name="outreach.purge_unconfirmed_subscribers")
def purge_unconfirmed_subscribers() -> int:
    return services.subscribers_purge_unconfirmed()
