"""The public event pages, the calendar feed and the staff pages."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from agencies.conf import default_time_zone
from messaging.models import Message
from outreach.models import EventAttendance, OutreachEvent
from outreach.recurrence import nth_weekday, weekday_position
from tests.factories import CommunityFactory, LiaisonFactory, OutreachEventFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

PUBLISHED = OutreachEvent.Status.PUBLISHED


def test_event_list_shows_upcoming_published_events_and_filters(client):
    latino, somali = CommunityFactory(slug="latino"), CommunityFactory(slug="somali")
    OutreachEventFactory(
        title_en="Foro latino", status=PUBLISHED, communities=[latino], interpretation_languages=["es"]
    )
    OutreachEventFactory(
        title_en="Somali tea", status=PUBLISHED, communities=[somali], interpretation_languages=["so"]
    )
    OutreachEventFactory(title_en="Secret draft")
    past = timezone.now() - dt.timedelta(days=3)
    OutreachEventFactory(title_en="Long gone", status=PUBLISHED, start=past, end=past + dt.timedelta(hours=1))

    html = client.get("/en/events/").content.decode()
    assert "Foro latino" in html and "Somali tea" in html
    assert "Secret draft" not in html and "Long gone" not in html
    html = client.get("/en/events/?community=somali").content.decode()
    assert "Somali tea" in html and "Foro latino" not in html
    html = client.get("/en/events/?language=es").content.decode()
    assert "Foro latino" in html and "Somali tea" not in html


def test_event_list_query_count_does_not_grow_with_events(client, django_assert_max_num_queries):
    community = CommunityFactory()
    for _i in range(3):
        OutreachEventFactory(status=PUBLISHED, communities=[community], hosts=[LiaisonFactory()])
    with django_assert_max_num_queries(12) as few:
        client.get("/en/events/")
    for _i in range(12):
        OutreachEventFactory(status=PUBLISHED, communities=[community], hosts=[LiaisonFactory()])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/en/events/")


def test_event_page_shows_translated_title_with_fallback_and_hides_drafts(client):
    event = OutreachEventFactory(title_en="Forum", title_es="Foro", status=PUBLISHED)
    assert "Foro" in client.get(f"/es/events/{event.pk}/").content.decode()
    assert "Forum" in client.get(f"/ar/events/{event.pk}/").content.decode()  # no Arabic title
    draft = OutreachEventFactory()
    assert client.get(f"/en/events/{draft.pk}/").status_code == 404


def test_calendar_feed_is_valid_icalendar_and_filters_by_community(client):
    latino, somali = CommunityFactory(slug="latino"), CommunityFactory(slug="somali")
    monthly = OutreachEventFactory(
        title_en="Base meeting",
        status=PUBLISHED,
        communities=[somali],
        recurrence="monthly",
        repeat_until=timezone.localdate() + dt.timedelta(days=200),
    )
    OutreachEventFactory(title_en="Foro", status=PUBLISHED, communities=[latino])
    OutreachEventFactory(title_en="Draft")
    response = client.get("/events/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"Base meeting", "Foro"}
    assert events["Base meeting"]["RRULE"]["FREQ"] == ["MONTHLY"]
    assert str(events["Base meeting"]["UID"]).startswith(f"event-{monthly.pk}@")
    assert cal.walk("VTIMEZONE")  # times carry their zone

    only = Calendar.from_ical(client.get("/events/calendar.ics?community=somali").content)
    assert [str(e["SUMMARY"]) for e in only.walk("VEVENT")] == ["Base meeting"]
    assert client.get("/events/calendar.ics?community=nobody").status_code == 404


def test_staff_liaison_creates_and_publishes_an_event_with_translations_side_by_side(client, role_user):
    liaison = role_user("Liaison officer")
    community = CommunityFactory()
    SubscriberFactory(language="es", communities=[community])
    client.force_login(liaison)
    form = client.get("/en/outreach/events/new/").content.decode()
    for name in ("title_en", "title_es", "title_ar", "description_es", "venue_directions_ar"):
        assert f'name="{name}"' in form
    start = timezone.localtime() + dt.timedelta(days=4)
    data = {
        "kind": "forum",
        "title_en": "Forum on scams",
        "title_es": "Foro sobre estafas",
        "venue_name": "Library",
        "address": "1 Main St",
        "start": start.strftime("%Y-%m-%dT18:00"),
        "end": start.strftime("%Y-%m-%dT17:00"),
        "time_zone": "America/New_York",
        "recurrence": "none",
        "language": "en",
        "communities": [community.pk],
    }
    response = client.post("/en/outreach/events/new/", data)
    assert response.status_code == 200 and "The end must be after the start." in response.content.decode()
    assert not OutreachEvent.objects.exists()

    data["end"] = start.strftime("%Y-%m-%dT20:00")
    response = client.post("/en/outreach/events/new/", data)
    event = OutreachEvent.objects.get()
    assert response.status_code == 302
    assert event.status == "draft" and event.title_es == "Foro sobre estafas"
    assert event.start.astimezone(event.tz).hour == 18
    response = client.post(f"/en/outreach/events/{event.pk}/publish/")
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == "published"
    assert Message.objects.filter(key__startswith=f"event:{event.pk}:published:").count() == 1
    assert "Forum on scams" in client.get("/en/outreach/events/").content.decode()


def test_staff_commander_can_see_but_not_create_events(client, role_user):
    client.force_login(role_user("Commander"))
    assert client.get("/en/outreach/events/").status_code == 200
    assert client.get("/en/outreach/events/new/").status_code == 403


def test_staff_records_attendance_on_the_page(client, role_user):
    coordinator = role_user("Coordinator")
    community = CommunityFactory()
    start = timezone.now() - dt.timedelta(days=2)
    event = OutreachEventFactory(
        status=PUBLISHED,
        start=start,
        end=start + dt.timedelta(hours=2),
        communities=[community],
        hosts=[LiaisonFactory()],
    )
    client.force_login(coordinator)
    day = start.astimezone(event.tz).date().isoformat()
    response = client.post(
        f"/en/outreach/events/{event.pk}/attendance/",
        {"date": day, "total": "30", f"community_{community.pk}": "12"},
    )
    assert response.status_code == 302
    attendance = EventAttendance.objects.get()
    assert attendance.total == 30 and attendance.by_community.get().count == 12
    assert attendance.contacts.count() == 1


def test_staff_pages_need_a_login(client):
    response = client.get("/en/outreach/events/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_public_events_come_twenty_a_page_soonest_first_and_keep_the_filter(client):
    community = CommunityFactory()
    now = timezone.now()
    for i in range(45):
        OutreachEventFactory(
            title_en=f"Meeting {i:02d}",
            status=PUBLISHED,
            communities=[community],
            start=now + dt.timedelta(days=i + 1),
            end=now + dt.timedelta(days=i + 1, hours=2),
        )
    first = client.get("/en/events/")
    titles = [e.title for e in first.context["events"]]
    assert titles == [f"Meeting {i:02d}" for i in range(20)]
    assert "Page 1 of 3" in first.content.decode()
    last = client.get(f"/en/events/?community={community.pk}&page=3")
    assert [e.title for e in last.context["events"]] == [f"Meeting {i:02d}" for i in range(40, 45)]
    assert f"community={community.pk}&amp;page=2" in last.content.decode()  # the filter stays
    assert client.get("/en/events/?page=999").context["page"].number == 3  # past the end: the last page
    assert client.get("/en/events/?page=abc").status_code == 200


def test_public_events_page_reads_only_its_twenty_events_in_next_occurrence_order(client):
    """A monthly meeting that began long ago comes where its next occurrence falls; and a page
    costs the same queries with 25 or 60 upcoming meetings (only its own twenty are read whole)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    community = CommunityFactory()
    now = timezone.now()

    def meeting(i, **extra):
        return OutreachEventFactory(
            title_en=f"Meeting {i:02d}",
            status=PUBLISHED,
            communities=[community],
            start=now + dt.timedelta(days=i + 1),
            end=now + dt.timedelta(days=i + 1, hours=2),
            **extra,
        )

    for i in range(25):
        meeting(i)
    # Began two months ago on the weekday of the month (first to fourth Tuesday...) that
    # falls three to nine days from now, so its next occurrence is on the first page whatever today is.
    tz = ZoneInfo(default_time_zone())
    target = next(
        day
        for day in ((now + dt.timedelta(days=d, hours=1)).astimezone(tz) for d in range(3, 10))
        if weekday_position(day.date()) != -1  # a fifth weekday is not in every month
    )
    year, month = (
        (target.year, target.month - 2) if target.month > 2 else (target.year - 1, target.month + 10)
    )
    began = dt.datetime.combine(
        nth_weekday(year, month, target.weekday(), weekday_position(target.date())),
        target.time().replace(tzinfo=None),
        tzinfo=tz,
    )
    monthly = OutreachEventFactory(
        title_en="Monthly council",
        status=PUBLISHED,
        start=began,
        end=began + dt.timedelta(hours=2),
        recurrence="monthly",
        repeat_until=(now + dt.timedelta(days=365)).date(),
    )
    with CaptureQueriesContext(connection) as few:
        titles = [e.title for e in client.get("/en/events/").context["events"]]
    nxt = monthly.next_occurrence(now)
    assert nxt == target
    before = sum(1 for i in range(25) if now + dt.timedelta(days=i + 1) < nxt)
    assert titles.index("Monthly council") == before
    assert len(titles) == 20
    for i in range(25, 60):
        meeting(i)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/en/events/?page=4")  # 61 meetings: the last page holds one
    assert len(many.captured_queries) == len(few.captured_queries)
    assert [e.title for e in page.context["events"]] == ["Meeting 59"]
    # The whole rows (every language's title and description) are read for the page's ids alone.
    whole = [q["sql"] for q in many.captured_queries if 'outreach_outreachevent"."title_en"' in q["sql"]]
    assert whole and all('outreach_outreachevent"."id" IN (' in sql for sql in whole), whole
