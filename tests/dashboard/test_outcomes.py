"""Outreach events held and attendance; concerns received, resolved, days to action taken,
and concerns left without a response, as a commander sees them on the dashboard."""

import datetime as dt

import pytest
from django.utils import timezone

from feedback.models import Concern, StatusChange
from outreach.models import CommunityAttendance, EventAttendance, OutreachEvent
from tests.factories import (
    CommunityFactory,
    ConcernFactory,
    LiaisonFactory,
    OutreachEventFactory,
    concern_category,
)

from .helpers import a_day_in, last_quarter, small_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def commander(client, role_user):
    client.force_login(role_user("Commander"))
    return client


def _held(event, day, total, by_community=None):
    attendance = EventAttendance.objects.create(event=event, date=day, total=total)
    for community, count in (by_community or {}).items():
        CommunityAttendance.objects.create(attendance=attendance, community=community, count=count)
    return attendance


def _at(day: dt.date, hour=10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _concern(created: dt.datetime, community=None, category="safety", **kwargs) -> Concern:
    concern = ConcernFactory(community=community, category=concern_category(category), **kwargs)
    Concern.objects.filter(pk=concern.pk).update(created_at=created)
    concern.refresh_from_db()
    return concern


def _moved(concern, status, when):
    change = StatusChange.objects.create(concern=concern, from_status=concern.status, to_status=status)
    StatusChange.objects.filter(pk=change.pk).update(created_at=when)
    Concern.objects.filter(pk=concern.pk).update(status=status)


def test_outcomes_events_held_and_attendance_in_the_quarter_and_trend(commander):
    data = small_unit()
    q = data["quarter"]
    bhutanese, latino, _somali = data["communities"]
    forum = OutreachEventFactory(kind=OutreachEvent.Kind.FORUM, status="published", communities=[bhutanese])
    meeting = OutreachEventFactory(status="published", communities=[latino])
    _held(forum, a_day_in(q, 10), 40, {bhutanese: 30})
    _held(meeting, a_day_in(q, 20), 12)
    _held(meeting, a_day_in(q.previous(), 20), 9)
    cancelled = OutreachEventFactory(status="cancelled")
    _held(cancelled, a_day_in(q, 21), 100)
    response = commander.get("/en/dashboard/", {"quarter": q.key})
    events = response.context["events"]
    assert (events["held"], events["attendance"]) == (2, 52)
    assert {r["label"]: (r["events"], r["attendance"]) for r in events["by_kind"]} == {
        "Forum": (1, 40),
        "Community meeting": (1, 12),
    }
    assert [(str(r["label"]), r["attendance"]) for r in events["by_community"]] == [("Bhutanese", 30)]
    trend = response.context["trend"]
    assert [(r["events"], r["attendance"]) for r in trend[-2:]] == [(1, 9), (2, 52)]
    html = response.content.decode()
    assert "2 events</a> held, 52 people came." in html


def test_outcomes_events_follow_the_community_and_unit_filters(commander):
    data = small_unit()
    q = data["quarter"]
    bhutanese, latino, _somali = data["communities"]
    host = LiaisonFactory(unit="Zone 9")
    _held(OutreachEventFactory(status="published", communities=[bhutanese], hosts=[host]), a_day_in(q, 1), 5)
    _held(OutreachEventFactory(status="published", communities=[latino, bhutanese]), a_day_in(q, 2), 7)
    events = commander.get("/en/dashboard/", {"quarter": q.key, "community": latino.pk}).context["events"]
    assert (events["held"], events["attendance"]) == (1, 7)
    events = commander.get("/en/dashboard/", {"quarter": q.key, "unit": "Zone 9"}).context["events"]
    assert (events["held"], events["attendance"]) == (1, 5)


def test_outcomes_concerns_received_resolved_and_median_days_by_category_and_community(commander):
    data = small_unit()
    q = data["quarter"]
    bhutanese = data["communities"][0]
    a = _concern(_at(a_day_in(q, 1)), community=bhutanese)
    _moved(a, "action_taken", _at(a_day_in(q, 5)))  # 4 days
    b = _concern(_at(a_day_in(q, 2)), community=bhutanese)
    _moved(b, "in_review", _at(a_day_in(q, 3)))
    _moved(b, "action_taken", _at(a_day_in(q, 12)))  # 10 days
    _moved(b, "closed", _at(a_day_in(q, 13)))
    c = _concern(_at(a_day_in(q, 3)), category="compliment")  # received, not resolved
    # Received the quarter before, resolved in this one: counts as resolved, not received.
    d = _concern(_at(a_day_in(q.previous(), 80)), community=bhutanese)
    _moved(d, "closed", _at(a_day_in(q, 6)))
    del c
    concerns = commander.get("/en/dashboard/", {"quarter": q.key}).context["concerns"]
    assert (concerns["received"], concerns["resolved"], concerns["median_days"]) == (3, 3, 7.0)
    by_category = {
        str(r["label"]): (r["received"], r["resolved"], r["median_days"]) for r in concerns["by_category"]
    }
    assert by_category[concern_category("safety").name] == (2, 3, 7.0)
    assert by_category[concern_category("compliment").name] == (1, 0, None)
    by_community = {
        str(r["label"]): (r["received"], r["resolved"], r["median_days"]) for r in concerns["by_community"]
    }
    assert by_community["Bhutanese"] == (2, 3, 7.0)
    assert by_community["Not given"] == (1, 0, None)


def test_outcomes_concerns_older_than_the_setting_with_no_response_are_listed(commander, settings):
    settings.BRIDGE_DASHBOARD_CONCERN_STALE_DAYS = 10
    small_unit()
    now = timezone.now()
    old = _concern(now - dt.timedelta(days=15))
    _concern(now - dt.timedelta(days=3))  # too young
    answered = _concern(now - dt.timedelta(days=20))
    Concern.objects.filter(pk=answered.pk).update(public_response="We met the landlord.")
    done = _concern(now - dt.timedelta(days=40))
    _moved(done, "action_taken", now - dt.timedelta(days=30))
    response = commander.get("/en/dashboard/")
    stale = response.context["concerns"]["stale"]
    assert [r["code"] for r in stale] == [old.code_display]
    assert stale[0]["age"] == 15
    html = response.content.decode()
    assert "Concerns with no response after 10 days" in html
    assert old.text not in html


def test_outcomes_concern_exports_hold_no_text_or_contact_details(commander):
    data = small_unit()
    q = data["quarter"]
    _concern(
        _at(a_day_in(q, 1)),
        text="My neighbour Jane Private at 12 Elm St",
        contact_method="email",
        email="jane.private@example.org",
    )
    body = b"".join(commander.get("/en/dashboard/export/figures.csv", {"quarter": q.key}).streaming_content)
    text = body.decode("utf-8-sig")
    assert "Concerns by category" in text and "Outreach events held" in text
    assert "Jane Private" not in text and "jane.private" not in text


def test_outcomes_query_count_does_not_grow_with_events_and_concerns(commander):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = small_unit()
    q = data["quarter"]

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert commander.get("/en/dashboard/", {"quarter": q.key}).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    communities = [CommunityFactory() for _ in range(3)]
    for i in range(6):
        event = OutreachEventFactory(status="published", communities=communities[: i % 3 + 1])
        _held(event, a_day_in(q, i), 10 + i, {communities[0]: 3})
        concern = _concern(_at(a_day_in(q, i)), community=communities[i % 3])
        _moved(concern, "action_taken", _at(a_day_in(q, i + 2)))
        _concern(timezone.now() - dt.timedelta(days=60 + i), community=communities[0])
    assert count() == few


def test_outcomes_last_quarter_helper_is_before_today():
    assert last_quarter().end < timezone.localdate()
