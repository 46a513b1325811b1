"""Contact details are erased a set number of days after a concern closes; the concern stays."""

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from bridge.celery import app
from feedback import services
from feedback.models import Concern
from messaging.models import Message
from tests.factories import ConcernFactory

pytestmark = pytest.mark.django_db


def _closed(days_ago, **fields):
    return ConcernFactory(
        status="closed",
        closed_at=timezone.now() - dt.timedelta(days=days_ago),
        contact_method="email",
        email="keep-or-purge@example.org",
        **fields,
    )


def test_purge_erases_contact_after_retention_and_keeps_the_concern(settings):
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 30
    old = _closed(31)
    recent = _closed(29)
    still_open = ConcernFactory(contact_method="phone", phone="+14125550100")
    assert services.concern_contacts_purge() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert (old.email, old.phone, old.address) == ("", "", "")
    assert old.contact_purged_at is not None
    # The concern and what it counts for stay.
    assert (old.status, old.contact_method, old.text, old.category_id) == (
        "closed",
        "email",
        old.text,
        old.category_id,
    )
    assert recent.email == "keep-or-purge@example.org"
    assert still_open.phone == "+14125550100"
    assert Concern.objects.count() == 3
    # Idempotent: a second run finds nothing more.
    assert services.concern_contacts_purge() == 0


def test_purge_erases_the_outbox_copy_of_the_address(role_user, settings):
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 0
    concern = ConcernFactory(contact_method="email", email="ana@example.org")
    services.concern_set_status(
        actor=role_user("Liaison officer"), concern=concern, status="closed", responses={"en": "Fixed."}
    )
    Message.objects.update(status=Message.Status.SENT)
    services.concern_contacts_purge(now=timezone.now() + dt.timedelta(seconds=1))
    assert Message.objects.get().address == ""
    assert not Concern.objects.filter(email="ana@example.org").exists()


def test_purge_command_runs_the_service(settings):
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 10
    concern = _closed(11)
    out = StringIO()
    call_command("purge_concern_contacts", stdout=out)
    assert "Purged contact details of 1 closed concern(s)." in out.getvalue()
    concern.refresh_from_db()
    assert concern.email == ""


def test_purge_task_is_scheduled_daily_by_beat_and_purges():
    entry = settings.CELERY_BEAT_SCHEDULE["feedback-purge-concern-contacts"]
    assert entry["task"] == "feedback.purge_concern_contacts"
    assert entry["schedule"] <= 24 * 60 * 60
    app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks.py
    assert "feedback.purge_concern_contacts" in app.tasks
    concern = _closed(settings.FEEDBACK_CONTACT_RETENTION_DAYS + 1)
    assert app.tasks["feedback.purge_concern_contacts"].apply().get() == 1
    concern.refresh_from_db()
    assert concern.email == ""


def test_reopening_a_concern_clears_its_closing_date(role_user):
    user = role_user("Liaison officer")
    concern = ConcernFactory(contact_method="email", email="a@example.org")
    services.concern_set_status(actor=user, concern=concern, status="closed")
    services.concern_set_status(actor=user, concern=concern, status="in_review")
    concern.refresh_from_db()
    assert concern.closed_at is None
    assert services.concern_contacts_purge(days=0) == 0
