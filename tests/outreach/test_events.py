"""Events and the notices they cause: who is told, when, and never twice."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from liaison.selectors import quarter_progress
from messaging.models import Message
from outreach import services
from outreach.models import EventAttendance, OutreachEvent
from tests.factories import CommunityFactory, LiaisonFactory, OutreachEventFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(role_user):
    return role_user("Coordinator")


def notice_keys(kind: str) -> list[str]:
    return sorted(Message.objects.filter(key__contains=f":{kind}:").values_list("key", flat=True))


def test_event_ending_before_it_starts_is_refused_and_nothing_stored(coordinator):
    start = timezone.now() + dt.timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        services.event_create(
            actor=coordinator,
            title_en="Forum",
            venue_name="Hall",
            address="1 Main St",
            start=start,
            end=start,
        )
    assert "end" in exc.value.message_dict
    assert not OutreachEvent.objects.exists()
    # And the database itself refuses it, whatever path a row takes.
    with pytest.raises(IntegrityError), transaction.atomic():
        OutreachEventFactory(start=start, end=start - dt.timedelta(hours=1))


def test_event_publish_notifies_matching_confirmed_subscribers_once(coordinator):
    latino, somali = CommunityFactory(), CommunityFactory()
    fan = SubscriberFactory(communities=[latino])
    everything = SubscriberFactory()  # no community chosen: every meeting
    SubscriberFactory(communities=[somali])  # another community
    SubscriberFactory(communities=[latino], confirmed_at=None)  # never confirmed
    event = OutreachEventFactory(communities=[latino])

    assert services.event_publish(actor=coordinator, event=event) == 2
    assert services.event_publish(actor=coordinator, event=event) == 0  # a double click
    assert notice_keys("published") == sorted(
        [f"event:{event.pk}:published:sub:{fan.pk}", f"event:{event.pk}:published:sub:{everything.pk}"]
    )
    event.refresh_from_db()
    assert event.status == "published" and event.published_at and event.notified_at


def test_event_update_sends_changed_notice_for_each_change_of_time_or_place(coordinator):
    community = CommunityFactory()
    sub = SubscriberFactory(communities=[community])
    event = OutreachEventFactory(communities=[community])
    services.event_publish(actor=coordinator, event=event)

    assert services.event_update(actor=coordinator, event=event, title_en="New name only") == 0
    assert notice_keys("changed") == []

    later = event.start + dt.timedelta(hours=1)
    assert (
        services.event_update(actor=coordinator, event=event, start=later, end=later + dt.timedelta(hours=2))
        == 1
    )
    # Saving again without a change sends nothing; a second real change sends again.
    assert (
        services.event_update(actor=coordinator, event=event, start=later, end=later + dt.timedelta(hours=2))
        == 0
    )
    assert services.event_update(actor=coordinator, event=event, venue_name="Masjid Al-Noor") == 1
    assert notice_keys("changed") == [
        f"event:{event.pk}:changed:1:sub:{sub.pk}",
        f"event:{event.pk}:changed:2:sub:{sub.pk}",
    ]


def test_event_update_of_a_draft_tells_nobody(coordinator):
    SubscriberFactory()
    event = OutreachEventFactory()
    later = event.start + dt.timedelta(days=1)
    assert (
        services.event_update(actor=coordinator, event=event, start=later, end=later + dt.timedelta(hours=1))
        == 0
    )
    assert not Message.objects.exists()


def test_event_cancel_tells_those_who_were_told(coordinator):
    SubscriberFactory()
    draft = OutreachEventFactory()
    assert services.event_cancel(actor=coordinator, event=draft) == 0
    event = OutreachEventFactory()
    services.event_publish(actor=coordinator, event=event)
    assert services.event_cancel(actor=coordinator, event=event) == 1
    assert services.event_cancel(actor=coordinator, event=event) == 0
    assert len(notice_keys("cancelled")) == 1
    with pytest.raises(ValidationError):
        services.event_publish(actor=coordinator, event=event)


def test_reminders_go_out_once_inside_the_window(coordinator, settings):
    settings.OUTREACH_REMINDER_HOURS = 24
    sub = SubscriberFactory()
    now = timezone.now()
    soon = OutreachEventFactory(start=now + dt.timedelta(hours=20), end=now + dt.timedelta(hours=22))
    later = OutreachEventFactory(start=now + dt.timedelta(days=5), end=now + dt.timedelta(days=5, hours=2))
    for event in (soon, later):
        services.event_publish(actor=coordinator, event=event)
    # Announced a week ago: the announcement is not a reminder.
    OutreachEvent.objects.update(notified_at=now - dt.timedelta(days=7))

    assert services.reminders_queue_due(now=now) == 1
    assert services.reminders_queue_due(now=now) == 0
    assert services.reminders_queue_due(now=now + dt.timedelta(hours=1)) == 0
    keys = notice_keys("reminder")
    assert (
        len(keys) == 1
        and keys[0].startswith(f"event:{soon.pk}:reminder:")
        and keys[0].endswith(f":sub:{sub.pk}")
    )


def test_reminder_is_skipped_when_the_announcement_came_inside_the_window(coordinator):
    SubscriberFactory()
    now = timezone.now()
    event = OutreachEventFactory(start=now + dt.timedelta(hours=5), end=now + dt.timedelta(hours=6))
    services.event_publish(actor=coordinator, event=event)
    assert services.reminders_queue_due(now=now) == 0
    assert notice_keys("reminder") == []


def test_monthly_event_repeats_on_the_same_weekday_at_the_same_wall_clock_time():
    tz = ZoneInfo("America/New_York")
    # The second Tuesday of January 2030, 18:00; the series crosses the March DST change.
    start = dt.datetime(2030, 1, 8, 18, 0, tzinfo=tz)
    event = OutreachEventFactory(
        start=start,
        end=start + dt.timedelta(hours=1),
        time_zone="America/New_York",
        recurrence=OutreachEvent.Recurrence.MONTHLY,
        repeat_until=dt.date(2030, 4, 30),
    )
    local = [o.astimezone(tz) for o in event.occurrences()]
    assert [d.date() for d in local] == [
        dt.date(2030, 1, 8),
        dt.date(2030, 2, 12),
        dt.date(2030, 3, 12),
        dt.date(2030, 4, 9),
    ]
    assert {d.hour for d in local} == {18}


def test_attendance_counts_as_a_contact_in_each_hosting_liaisons_quarter(coordinator):
    community = CommunityFactory()
    hosts = [LiaisonFactory(), LiaisonFactory()]
    start = timezone.now() - dt.timedelta(days=1, hours=3)
    event = OutreachEventFactory(
        start=start, end=start + dt.timedelta(hours=2), communities=[community], hosts=hosts
    )
    services.event_publish(actor=coordinator, event=event)
    before = [quarter_progress(h)["contacts"] for h in hosts]
    day = start.astimezone(event.tz).date()

    services.event_record_attendance(
        actor=coordinator, event=event, date=day, total=40, by_community={community: 25}
    )
    after = [quarter_progress(h) for h in hosts]
    if day >= after[0]["quarter"].start:
        assert [p["contacts"] for p in after] == [b + 1 for b in before]
        assert all(p["people"] >= 40 for p in after)

    # A correction updates the same contacts instead of counting twice.
    services.event_record_attendance(actor=coordinator, event=event, date=day, total=45)
    attendance = EventAttendance.objects.get(event=event)
    assert attendance.total == 45 and attendance.contacts.count() == 2
    assert {c.people_reached for c in attendance.contacts.all()} == {45}
    assert [quarter_progress(h)["contacts"] for h in hosts] == [p["contacts"] for p in after]


def test_attendance_cannot_be_recorded_before_the_event(coordinator):
    event = OutreachEventFactory(communities=[CommunityFactory()], hosts=[LiaisonFactory()])
    with pytest.raises(ValidationError) as exc:
        services.event_record_attendance(
            actor=coordinator, event=event, date=event.start.astimezone(event.tz).date(), total=10
        )
    assert "date" in exc.value.message_dict
    assert not EventAttendance.objects.exists()


def test_liaison_cannot_change_someone_elses_event(role_user, coordinator):
    other = OutreachEventFactory(created_by=coordinator)
    liaison = role_user("Liaison officer")
    with pytest.raises(services.PermissionDenied):
        services.event_publish(actor=liaison, event=other)
    mine = OutreachEventFactory(created_by=liaison)
    assert services.event_publish(actor=liaison, event=mine) == 0
