"""The trail is append-only: not through the admin, not by SQL; only retention deletes."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from audit import events
from audit.models import Entry
from audit.services import audit_purge, audit_record
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return audit_record(event=events.LOGIN, actor=UserFactory())


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_shows_entries_without_save_or_delete(admin_client, entry):
    response = admin_client.get(f"/admin/audit/entry/{entry.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html and "deletelink" not in html
    assert admin_client.get("/admin/audit/entry/add/").status_code == 403


def test_admin_refuses_to_change_or_delete_an_entry(admin_client, entry):
    assert admin_client.post(f"/admin/audit/entry/{entry.pk}/change/", {"event": "x"}).status_code == 403
    assert admin_client.post(f"/admin/audit/entry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    response = admin_client.post(
        "/admin/audit/entry/", {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert Entry.objects.filter(pk=entry.pk, event=events.LOGIN).exists()
    assert response.status_code in (200, 302)


def test_admin_refuses_to_delete_an_auditlog_diff(admin_client):
    ContactFactory()
    log = LogEntry.objects.first()
    assert admin_client.post(f"/admin/auditlog/logentry/{log.pk}/delete/", {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=log.pk).exists()


def test_coordinator_reads_the_admin_list_but_a_liaison_cannot(client, role_user, entry):
    coordinator = role_user("Coordinator", is_staff=True)
    client.force_login(coordinator)
    assert client.get("/admin/audit/entry/").status_code == 200
    client.force_login(role_user("Liaison officer", is_staff=True))
    assert client.get("/admin/audit/entry/").status_code == 403


@pytest.mark.parametrize("model", [Entry, LogEntry])
def test_sql_update_and_delete_are_refused_on_postgresql(postgres, model):
    ContactFactory()
    audit_record(event=events.LOGIN)
    row = model.objects.first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        model.objects.filter(pk=row.pk).update(object_repr="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        model.objects.filter(pk=row.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), postgres.cursor() as cursor:
        cursor.execute(f"UPDATE {model._meta.db_table} SET timestamp = now() - interval '10 years'")  # noqa: S608 - a fixed table name
    assert model.objects.filter(pk=row.pk).exclude(object_repr="tampered").exists()


def test_deleting_an_account_keeps_its_entries_with_the_username(postgres):
    user = UserFactory(username="left-the-unit")
    entry = audit_record(event=events.LOGIN, actor=user)
    user.delete()
    entry = Entry.objects.get(pk=entry.pk)
    assert entry.actor is None and entry.actor_username == "left-the-unit"


def test_retention_deletes_only_entries_older_than_the_setting():
    now = timezone.now()
    old = Entry.objects.create(event=events.LOGIN, timestamp=now - dt.timedelta(days=2191))
    kept = Entry.objects.create(event=events.LOGIN, timestamp=now - dt.timedelta(days=2189))
    ContactFactory()
    old_logs = LogEntry.objects.all()
    with transaction.atomic():
        # Backdate django-auditlog diffs the way six years would (the purge flag allows it).
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL bridge.audit_purge = 'on'")
        old_logs.update(timestamp=now - dt.timedelta(days=3000))
    fresh = audit_record(event=events.EXPORT)
    assert settings.AUDIT_RETENTION_DAYS == 2190
    deleted = audit_purge(now=now)
    assert not Entry.objects.filter(pk=old.pk).exists()
    assert Entry.objects.filter(pk__in=[kept.pk, fresh.pk]).count() == 2
    assert not LogEntry.objects.exists()
    assert deleted >= 1
    assert not Entry.objects.filter(log_entry__isnull=False).exists()


def test_retention_runs_daily_from_celery_beat():
    from audit.tasks import purge_old_entries

    schedule = settings.CELERY_BEAT_SCHEDULE["audit-purge-old-entries"]
    assert schedule["task"] == purge_old_entries.name == "audit.purge_old_entries"
    assert schedule["schedule"] == 24 * 60 * 60
