from celery import shared_task

from . import rollup


@shared_task(name="dashboard.compact_totals")
def compact_totals() -> dict:
    """Run by Celery beat every DASHBOARD_COMPACT_SECONDS: fold the running totals' deltas."""
    return rollup.compact()
