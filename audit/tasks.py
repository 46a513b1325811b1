from celery import shared_task

from . import services


@shared_task(name="audit.purge_old_entries")
def purge_old_entries() -> int:
    return services.audit_purge()
