"""Export jobs: a contacts export too large for one request is prepared by a Celery job.

The life of a job (dashboard.ExportJob):

- `export_job_start` (the request): one row per owner and export, queued, on the audit trail
  as an export with its filters and row count. A second click while the same export is still
  queued or running returns the same job, so a double tap never prepares two files.
- `export_job_run` (the Celery task `dashboard.run_export`): claims the row (queued, or
  running so long that its worker must have died), then writes the file row by row to a
  temporary file, inside one read-only REPEATABLE READ transaction on PostgreSQL so every row
  comes from the same moment, and moves it to STORAGES["exports"]. Memory stays flat: CSV is
  written line by line, Excel through openpyxl's write-only mode, and the contacts come from
  a server-side cursor in chunks (dashboard.exports.contact_rows). Progress goes to the cache
  every EXPORT_PROGRESS_ROWS rows, since the snapshot's own writes would be invisible.
- The download (dashboard.views.export_download): its owner only (anyone else gets a 404),
  until `expires_at`, each download on the audit trail.
- `export_jobs_sweep` (beat, `dashboard.sweep_exports`): deletes the files of expired links,
  forgets jobs after EXPORT_KEEP_DAYS, and hands out again a job that was queued while the
  broker was down or whose worker died.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files import File
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from agencies import context as agency_context

from . import exports, selectors
from .models import ExportJob
from .selectors import Filters

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
ACTIVE = (ExportJob.State.QUEUED, ExportJob.State.RUNNING)


def scope_of(filters: Filters | None) -> dict:
    """The filters as stored on a job: keys a person can read in the admin, nothing personal."""
    if filters is None:
        return {"scope": "all"}
    return {
        "quarter": filters.quarter.key,
        "unit": filters.unit or "",
        "community": filters.community.slug if filters.community is not None else "",
    }


def export_job_start(
    *, request, what: str, fmt: str, filters: Filters | None, filename: str, rows: int
) -> ExportJob:
    """Queue a job for this export, or return the one already queued or running."""
    owner = request.user
    scope = scope_of(filters)
    with transaction.atomic():
        # One at a time per owner: two clicks at once find each other's job.
        get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
        job = (
            ExportJob.objects.filter(owner=owner, what=what, fmt=fmt, scope=scope, state__in=ACTIVE)
            .order_by("-created_at")
            .first()
        )
        if job is not None:
            return job
        job = ExportJob.objects.create(
            owner=owner,
            what=what,
            fmt=fmt,
            scope=scope,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            filename=filename,
            rows_total=rows,
        )
        exports.export_record(request=request, what=what, fmt=fmt, filters=filters, rows=rows, job=job)
        transaction.on_commit(lambda: _dispatch(job.pk))
    return job


def _dispatch(job_id) -> None:
    from .tasks import run_export  # imported here: tasks.py calls this module at import

    try:
        run_export.delay(str(job_id))
    except Exception:  # broker down: the sweep hands the job out once it is back
        log.warning("export job %s could not be queued; the sweep will retry", job_id)


def _progress_key(job_id) -> str:
    return f"dashboard:export-progress:{job_id}"


def export_progress(job: ExportJob) -> int:
    """Rows written so far (from the cache while the job runs)."""
    if job.state == ExportJob.State.RUNNING:
        return int(cache.get(_progress_key(job.pk)) or 0)
    return job.rows_done


def _claim(job_id) -> ExportJob | None:
    """Take the job for this run, or None when another run has it or it is finished."""
    now = timezone.now()
    lost = now - dt.timedelta(seconds=settings.EXPORT_TIME_LIMIT + 60)  # past the hard limit
    taken = ExportJob.objects.filter(
        Q(state=ExportJob.State.QUEUED) | Q(state=ExportJob.State.RUNNING, started_at__lt=lost),
        pk=job_id,
        attempts__lt=MAX_ATTEMPTS,
    ).update(state=ExportJob.State.RUNNING, started_at=now, attempts=F("attempts") + 1)
    if not taken:
        return None
    return ExportJob.objects.get(pk=job_id)


def export_job_run(*, job_id) -> str:
    """Prepare the job's file. Returns what happened: done, failed or skipped."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    name = f"{job.pk}.{job.fmt}"
    try:
        # The job's own agency's rows, whoever hands it out (the sweep works for every agency).
        with agency_context.use(job.agency_id), tempfile.TemporaryDirectory(prefix="bridge-export-") as tmp:
            path = Path(tmp) / name
            with translation.override(job.language):
                rows = _write(job, path)
            with path.open("rb") as f:
                job.file.save(name, File(f), save=False)
            size = path.stat().st_size
    except Exception:
        # SoftTimeLimitExceeded included: the owner sees that it failed and may try again.
        log.exception("export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.FAILED, finished_at=timezone.now())
        cache.delete(_progress_key(job.pk))
        return "failed"
    now = timezone.now()
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.DONE,
        file=job.file.name,
        size=size,
        rows_total=rows,
        rows_done=rows,
        finished_at=now,
        expires_at=now + dt.timedelta(hours=settings.EXPORT_LINK_HOURS),
    )
    cache.delete(_progress_key(job.pk))
    return "done"


def _write(job: ExportJob, path: Path) -> int:
    """Write the rows to `path`; every row read in one snapshot. Returns the rows written."""
    key = _progress_key(job.pk)
    outermost = not connection.in_atomic_block  # a worker's run; a test's run is nested
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return exports.contacts_to_file(
            selectors.filters_of(job.scope),
            job.fmt,
            path,
            progress=lambda n: cache.set(key, n, 24 * 3600),
            every=max(1, settings.EXPORT_PROGRESS_ROWS),
        )


def export_jobs_sweep() -> dict:
    """Expire links, forget old jobs, hand out again jobs that were lost."""
    now = timezone.now()
    expired = 0
    for job in ExportJob.objects.filter(state=ExportJob.State.DONE, expires_at__lte=now).iterator():
        _delete_file(job)
        ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.EXPIRED, file="")
        expired += 1
    forgotten = 0
    for job in ExportJob.objects.filter(
        created_at__lt=now - dt.timedelta(days=settings.EXPORT_KEEP_DAYS)
    ).iterator():
        _delete_file(job)
        job.delete()
        forgotten += 1
    stale_queued = now - dt.timedelta(seconds=settings.EXPORT_REDISPATCH_SECONDS)
    lost_running = now - dt.timedelta(seconds=settings.EXPORT_TIME_LIMIT + 60)
    again = list(
        ExportJob.objects.filter(
            Q(state=ExportJob.State.QUEUED, created_at__lt=stale_queued)
            | Q(state=ExportJob.State.RUNNING, started_at__lt=lost_running),
            attempts__lt=MAX_ATTEMPTS,
        ).values_list("pk", flat=True)
    )
    for pk in again:
        _dispatch(pk)
    gave_up = ExportJob.objects.filter(
        state=ExportJob.State.RUNNING, started_at__lt=lost_running, attempts__gte=MAX_ATTEMPTS
    ).update(state=ExportJob.State.FAILED, finished_at=now)
    return {"expired": expired, "forgotten": forgotten, "redispatched": len(again), "failed": gave_up}


def _delete_file(job: ExportJob) -> None:
    if job.file:
        try:
            job.file.storage.delete(job.file.name)
        except OSError:
            log.warning("export job %s: its file could not be deleted", job.pk)
