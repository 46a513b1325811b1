"""Exports as jobs: a contacts export above EXPORT_INLINE_ROWS is prepared by a Celery job into
storage; its file is complete, only its owner can fetch it, the link expires, and every step
is on the audit trail."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from audit import events as audit_events
from audit.models import Entry
from dashboard import services
from dashboard.models import ExportJob
from tests.conftest import wait_for

from .helpers import small_unit


@pytest.fixture
def big(settings):
    settings.EXPORT_INLINE_ROWS = 2  # small_unit's quarter has 4 contacts: a job
    return settings


@pytest.fixture
def commander(client, role_user):
    user = role_user("Commander", username="ortiz")
    client.force_login(user)
    client.user = user
    return client


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _start(client, fmt="csv", **params):
    return client.post(
        f"/en/dashboard/export/contacts.{fmt}?" + "&".join(f"{k}={v}" for k, v in params.items())
    )


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_export_job_a_large_export_is_prepared_as_a_job_whose_file_equals_the_direct_export(commander, big):
    q = small_unit()["quarter"]
    response = _start(commander, quarter=q.key)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/dashboard/exports/{job.pk}/"
    assert (job.state, job.rows_total, job.owner, job.language) == ("queued", 4, commander.user, "en")
    entry = Entry.objects.get(event=audit_events.EXPORT)
    assert entry.data["job"] == str(job.pk) and entry.data["rows"] == 4
    page = commander.get(response["Location"])
    assert "Waiting to start" in page.content.decode() and "0 of 4 contacts written" in page.content.decode()

    assert services.export_job_run(job_id=job.pk) == "done"  # what the worker runs
    job.refresh_from_db()
    assert job.state == "done" and job.rows_done == 4 and job.size > 0
    assert str(job.pk) in job.file.name and "ortiz" not in job.file.name
    page = commander.get(f"/en/dashboard/exports/{job.pk}/").content.decode()
    assert "Ready" in page and "Download the CSV file" in page and "The link works until" in page

    download = commander.get(f"/en/dashboard/exports/{job.pk}/download")
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="bridge-contacts-{q.key}.csv"'
    rows = _csv_rows(_body(download))
    big.EXPORT_INLINE_ROWS = 100
    direct = _csv_rows(_body(commander.get("/en/dashboard/export/contacts.csv", {"quarter": q.key})))
    assert rows == direct and len(rows) == 1 + 4
    assert rows[0][0] == "Contact number"
    logged = Entry.objects.get(event=audit_events.EXPORT_DOWNLOADED)
    assert logged.actor == commander.user and logged.data == {
        "export": "contacts",
        "format": "csv",
        "job": str(job.pk),
        "rows": 4,
    }


@pytest.mark.django_db
def test_export_job_excel_opens_and_holds_every_contact_in_the_owners_language(commander, big):
    q = small_unit()["quarter"]
    commander.post(f"/fr/dashboard/export/contacts.xlsx?quarter={q.key}")
    job = ExportJob.objects.get()
    assert job.language == "fr"
    services.export_job_run(job_id=job.pk)
    data = _body(commander.get(f"/fr/dashboard/exports/{job.pk}/download"))
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 4
    assert rows[0][0] == "Numéro du contact"


@pytest.mark.django_db
def test_export_job_a_second_click_while_it_is_prepared_returns_the_same_job(commander, big):
    q = small_unit()["quarter"]
    first = _start(commander, quarter=q.key)["Location"]
    second = _start(commander, quarter=q.key)["Location"]
    assert first == second and ExportJob.objects.count() == 1
    _start(commander, fmt="xlsx", quarter=q.key)
    assert ExportJob.objects.count() == 2  # another format is another file


@pytest.mark.django_db
def test_export_job_a_plain_link_asks_before_preparing_anything(commander, big):
    q = small_unit()["quarter"]
    page = commander.get("/en/dashboard/export/contacts.csv", {"quarter": q.key})
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    text = page.content.decode()
    assert "This export holds 4 contacts" in text and 'method="post"' in text
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
def test_export_job_another_user_cannot_see_or_fetch_it(commander, big, role_user):
    q = small_unit()["quarter"]
    _start(commander, quarter=q.key)
    job = ExportJob.objects.get()
    services.export_job_run(job_id=job.pk)
    other = Client()
    other.force_login(role_user("Commander", username="reyes"))
    for url in (
        f"/en/dashboard/exports/{job.pk}/",
        f"/en/dashboard/exports/{job.pk}/?format=json",
        f"/en/dashboard/exports/{job.pk}/download",
    ):
        assert other.get(url).status_code == 404  # not 403: it does not say the job exists
    assert "bridge-contacts" not in other.get("/en/dashboard/exports/").content.decode()
    liaison = Client()
    liaison.force_login(role_user("Liaison officer"))
    assert liaison.get(f"/en/dashboard/exports/{job.pk}/download").status_code == 403
    anonymous = Client()
    assert anonymous.get(f"/en/dashboard/exports/{job.pk}/download").status_code == 302
    assert commander.get("/en/dashboard/exports/not-a-job/download").status_code == 404
    assert not Entry.objects.filter(event=audit_events.EXPORT_DOWNLOADED).exists()


@pytest.mark.django_db
def test_export_job_the_link_expires_and_the_sweep_deletes_the_file(commander, big, settings):
    q = small_unit()["quarter"]
    _start(commander, quarter=q.key)
    job = ExportJob.objects.get()
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.expires_at - job.finished_at == dt.timedelta(hours=settings.EXPORT_LINK_HOURS)
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)

    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    gone = commander.get(f"/en/dashboard/exports/{job.pk}/download")
    assert gone.status_code == 410
    assert "This download link has expired" in gone.content.decode()
    assert not Entry.objects.filter(event=audit_events.EXPORT_DOWNLOADED).exists()

    assert services.export_jobs_sweep()["expired"] == 1
    job.refresh_from_db()
    assert job.state == "expired" and not job.file and not storage.exists(name)
    assert commander.get(f"/en/dashboard/exports/{job.pk}/download").status_code == 410
    page = commander.get("/ar/dashboard/exports/").content.decode()
    assert "bridge-contacts" not in page and 'dir="rtl"' in page

    ExportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - dt.timedelta(days=settings.EXPORT_KEEP_DAYS + 1)
    )
    assert services.export_jobs_sweep()["forgotten"] == 1 and not ExportJob.objects.exists()


@pytest.mark.django_db
def test_export_job_progress_is_shown_while_it_runs(commander, big):
    q = small_unit()["quarter"]
    _start(commander, quarter=q.key)
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(state="running", started_at=timezone.now())
    cache.set(services._progress_key(job.pk), 2, 60)
    status = commander.get(f"/en/dashboard/exports/{job.pk}/?format=json").json()
    assert status == {
        "state": "running",
        "label": "Being prepared",
        "percent": 50,
        "rows_done": 2,
        "rows_total": 4,
        "progress": "2 of 4 contacts written",
    }
    page = commander.get(f"/en/dashboard/exports/{job.pk}/").content.decode()
    assert 'value="50"' in page and "You can leave this page" in page
    assert services.export_job_run(job_id=job.pk) == "skipped"  # a run already has it
    cache.delete(services._progress_key(job.pk))


@pytest.mark.django_db
def test_export_job_whose_worker_keeps_dying_is_marked_failed_and_says_so(commander, big, settings):
    q = small_unit()["quarter"]
    _start(commander, quarter=q.key)
    job = ExportJob.objects.get()
    long_ago = timezone.now() - dt.timedelta(seconds=settings.EXPORT_TIME_LIMIT + 120)
    ExportJob.objects.filter(pk=job.pk).update(state="running", started_at=long_ago, attempts=3)
    assert services.export_jobs_sweep()["failed"] == 1
    page = commander.get(f"/es/dashboard/exports/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert job.state == "failed"
    assert 'data-state="failed"' in page
    assert "No se pudo preparar el archivo" in page  # what went wrong, in the reader's language
    assert commander.get(f"/en/dashboard/exports/{job.pk}/download").status_code == 410


@pytest.mark.django_db
def test_export_job_small_exports_are_still_sent_at_once(commander):
    q = small_unit()["quarter"]
    response = _start(commander, quarter=q.key)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert len(_csv_rows(_body(response))) == 1 + 4
    assert not ExportJob.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_export_job_runs_on_a_real_worker_and_a_lost_job_is_handed_out_again(
    celery_worker, client, role_user, settings
):
    settings.EXPORT_INLINE_ROWS = 2
    user = role_user("Commander", username="ortiz")
    client.force_login(user)
    q = small_unit()["quarter"]
    response = client.post(f"/en/dashboard/export/contacts.csv?quarter={q.key}")
    job = ExportJob.objects.get()
    assert response["Location"].endswith(f"/{job.pk}/")
    assert wait_for(lambda: ExportJob.objects.get(pk=job.pk).state == "done", timeout=30)
    rows = _csv_rows(_body(client.get(f"/en/dashboard/exports/{job.pk}/download")))
    assert len(rows) == 1 + 4

    # Queued while the broker was down: nothing was sent to a worker; the sweep sends it.
    lost = ExportJob.objects.create(
        owner=user,
        what="contacts",
        fmt="xlsx",
        scope={"scope": "all"},
        language="en",
        filename="bridge-contacts-all",
        rows_total=5,
        created_at=timezone.now() - dt.timedelta(seconds=settings.EXPORT_REDISPATCH_SECONDS + 1),
    )
    assert services.export_jobs_sweep()["redispatched"] == 1
    assert wait_for(lambda: ExportJob.objects.get(pk=lost.pk).state == "done", timeout=30)
    data = _body(client.get(f"/en/dashboard/exports/{lost.pk}/download"))
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    assert len(list(sheet.iter_rows(values_only=True))) == 1 + 5
