"""A set number of days after a concern closes, its contact details, its free text and place
and its internal notes are erased; the concern, its history and what staff published stay."""

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from bridge.celery import app
from feedback import services
from feedback.models import Concern, InternalNote, StatusChange
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
    assert (old.status, old.contact_method, old.category_id) == ("closed", "email", old.category_id)
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


def test_purge_erases_what_the_outbox_told_the_submitter_except_what_still_waits(role_user, settings):
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 0
    staff = role_user("Liaison officer")
    concern = ConcernFactory(contact_method="email", email="ana@example.org")
    services.concern_set_status(actor=staff, concern=concern, status="closed", responses={"en": "Fixed it."})
    answer = Message.objects.get()
    assert concern.code in answer.body and "Fixed it." in answer.body
    Message.objects.update(status=Message.Status.SENT)
    waiting = Message.objects.create(
        key=f"concern:{concern.pk}:status:999:submitter",
        channel="email",
        address="ana@example.org",
        language="en",
        body=f"Your concern {concern.code}",
    )
    still_open = ConcernFactory(contact_method="email", email="b@example.org")
    Message.objects.create(
        key=f"concern:{still_open.pk}:status:1:submitter",
        channel="email",
        address="b@example.org",
        language="en",
        body="We are looking into it.",
        status=Message.Status.SENT,
    )

    services.concern_contacts_purge(now=timezone.now() + dt.timedelta(seconds=1))
    answer.refresh_from_db()
    assert (answer.body, answer.html_body, answer.headers) == ("(removed)", "", {})
    assert answer.status == Message.Status.SENT  # the delivery history stays
    waiting.refresh_from_db()
    assert concern.code in waiting.body  # still to go out
    assert Message.objects.get(key__startswith=f"concern:{still_open.pk}:").body == "We are looking into it."


def test_purge_command_runs_the_service(settings):
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 10
    concern = _closed(11)
    out = StringIO()
    call_command("purge_concern_contacts", stdout=out)
    assert "Purged contact details and text of 1 closed concern(s)." in out.getvalue()
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


def _note(concern, user, text="Spoke with Mr Haddad, the neighbour at number 12."):
    return InternalNote.objects.create(concern=concern, author=user, text=text)


@pytest.mark.parametrize("contact", [{}, {"contact_method": "email", "email": "ana@example.org"}])
def test_purge_clears_text_place_and_notes_after_retention_for_anonymous_and_named_alike(
    settings, role_user, contact
):
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 30
    staff = role_user("Liaison officer")
    now = timezone.now()
    fields = {
        "status": "action_taken",
        "closed_at": now - dt.timedelta(days=31),
        "place": "Corner of Penn and 5th",
        "public_response_en": "We put a crossing guard there.",
        "public_summary_en": "Parents asked for a crossing guard; there is one now.",
        "published": True,
        "published_at": now - dt.timedelta(days=31),
        **contact,
    }
    concern = ConcernFactory(text="My neighbour Mr Haddad saw it.", **fields)
    StatusChange.objects.create(
        concern=concern, actor=staff, from_status="received", to_status="action_taken"
    )
    note = _note(concern, staff)
    assert services.concern_contacts_purge(now=now) == 1
    concern.refresh_from_db()
    note.refresh_from_db()
    assert (concern.text, concern.place, note.text) == ("", "", "")
    assert concern.text_purged_at == now
    assert (concern.contact_purged_at == now) is bool(contact)
    # What staff wrote for the public, the history and the figures stay.
    assert concern.public_response_en == "We put a crossing guard there."
    assert concern.public_summary_en == "Parents asked for a crossing guard; there is one now."
    assert concern.published and concern.status == "action_taken"
    assert concern.history.count() == 1 and InternalNote.objects.filter(concern=concern).count() == 1
    # Idempotent: nothing is left to erase, and the dates do not move.
    assert services.concern_contacts_purge(now=now + dt.timedelta(days=1)) == 0
    concern.refresh_from_db()
    assert concern.text_purged_at == now


def test_purge_keeps_text_place_and_notes_before_the_period_ends_and_while_open(settings, role_user):
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 30
    staff = role_user("Liaison officer")
    recent = _closed(29, text="Closed last week.", place="Main Street")
    still_open = ConcernFactory(text="Still being looked at.", place="Bus stop", closed_at=None)
    notes = [_note(recent, staff), _note(still_open, staff)]
    assert services.concern_contacts_purge() == 0
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert (recent.text, recent.place, recent.text_purged_at) == ("Closed last week.", "Main Street", None)
    assert (still_open.text, still_open.place, still_open.text_purged_at) == (
        "Still being looked at.",
        "Bus stop",
        None,
    )
    for note in notes:
        note.refresh_from_db()
        assert note.text.startswith("Spoke with Mr Haddad")


def test_purge_runs_in_one_transaction(settings, monkeypatch):
    """A failure half-way (here: erasing the notes) leaves every field as it was."""
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 1
    concern = _closed(2, text="Keep me if the purge fails.")

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(InternalNote.objects, "filter", boom)
    with pytest.raises(RuntimeError):
        services.concern_contacts_purge()
    concern.refresh_from_db()
    assert concern.text == "Keep me if the purge fails."
    assert concern.email == "keep-or-purge@example.org"
    assert concern.contact_purged_at is None and concern.text_purged_at is None


def test_staff_concern_page_says_the_text_was_removed_and_when(client, settings, role_user):
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 30
    staff = role_user("Coordinator")
    concern = _closed(31, text="Mr Haddad saw it.")
    _note(concern, staff)
    services.concern_contacts_purge()
    concern.refresh_from_db()
    client.force_login(staff)
    html = client.get(f"/en/concerns/queue/{concern.pk}/").content.decode()
    assert 'id="text-removed"' in html
    assert "were removed on" in html and "at the end of the retention period" in html
    from languages.formatting import format_date

    assert format_date(concern.text_purged_at, "long", "en") in html
    assert "(removed after the retention period)" in html  # the note
    assert "Mr Haddad" not in html
    queue = client.get("/en/concerns/queue/?status=all").content.decode()
    assert "(removed after the retention period)" in queue


def test_concern_text_may_be_empty_only_after_the_purge():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ConcernFactory(text="")
