from celery import shared_task
from django.conf import settings

from . import rollup, services


@shared_task(name="dashboard.compact_totals")
def compact_totals() -> dict:
    """Run by Celery beat every DASHBOARD_COMPACT_SECONDS: fold the running totals' deltas."""
    return rollup.compact()


@shared_task(
    name="dashboard.run_export",
    soft_time_limit=settings.EXPORT_SOFT_TIME_LIMIT,
    time_limit=settings.EXPORT_TIME_LIMIT,
)
def run_export(job_id: str) -> str:
    """Prepare one export job's file (dashboard.services explains the job's life)."""
    return services.export_job_run(job_id=job_id)


@shared_task(name="dashboard.sweep_exports")
def sweep_exports() -> dict:
    """Run by Celery beat: expire download links, forget old jobs, re-run lost ones."""
    return services.export_jobs_sweep()
