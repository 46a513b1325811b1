"""Work done by Celery beat for every agency: each row is handled inside its own agency, so a
reminder reaches the event's agency's subscribers only and an export holds its agency's rows."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from agencies import context
from agencies.services import agency_create
from dashboard import services as dashboard_services
from dashboard.models import ExportJob
from messaging.models import Message
from outreach import services as outreach_services
from outreach.models import OutreachEvent
from tests.factories import ContactFactory, OutreachEventFactory, SubscriberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other():
    return agency_create(slug="tulsa", name="Tulsa Police", domain="bridge.tulsa.example")


def test_a_reminder_sweep_reaches_only_the_event_agency_subscribers(other):
    now = timezone.now()
    here = SubscriberFactory()
    with context.use(other):
        there = SubscriberFactory()
        event = OutreachEventFactory(
            status=OutreachEvent.Status.PUBLISHED,
            start=now + dt.timedelta(hours=5),
            end=now + dt.timedelta(hours=6),
            notified_at=now - dt.timedelta(days=7),
        )
    assert context.current_id() is None  # as beat runs it: for no agency in particular
    assert outreach_services.reminders_queue_due(now=now) == 1
    sent = list(Message.all_agencies.filter(key__startswith=f"event:{event.pk}:reminder:"))
    assert [m.key.rsplit(":", 1)[-1] for m in sent] == [str(there.pk)]
    assert sent[0].agency_id == other.pk
    # Its links lead to the agency's own host name, where its subscriber can be found.
    assert re.search(r"://bridge\.tulsa\.example[:/]", sent[0].body)
    assert not Message.all_agencies.filter(key__endswith=f":sub:{here.pk}").exists()


def test_an_export_job_handed_out_by_the_sweep_holds_only_its_agency_rows(other, settings):
    ContactFactory.create_batch(2)
    with context.use(other):
        ContactFactory.create_batch(3)
        job = ExportJob.objects.create(
            owner=UserFactory(),
            what="contacts",
            fmt="csv",
            scope={"scope": "all"},
            language="en",
            filename="bridge-contacts-all",
            rows_total=3,
        )
    assert dashboard_services.export_job_run(job_id=job.pk) == "done"
    job = ExportJob.all_agencies.get(pk=job.pk)
    assert job.rows_done == 3
    with job.file.open("rb") as f:
        assert len(f.read().decode("utf-8-sig").strip().splitlines()) == 1 + 3
