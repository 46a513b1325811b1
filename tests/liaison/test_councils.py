"""Precinct community councils and public safety associations: partners with a regular
meeting; a liaison logs attendance at one from the contact log in a few taps, as a contact."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from liaison import selectors
from liaison.admin import PartnerForm
from liaison.models import Assignment, Contact, Partner
from tests.factories import CommunityFactory, LiaisonFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def council(**overrides) -> Partner:
    fields = {
        "name": "Zone 3 Public Safety Council",
        "kind": Partner.Kind.COUNCIL,
        "meeting_week": 2,
        "meeting_weekday": 1,  # the second Tuesday
        "meeting_time": dt.time(18, 30),
        "meeting_place": "Zone 3 station",
    }
    fields.update(overrides)
    return PartnerFactory(**fields)


@pytest.mark.parametrize(
    ("day", "week", "weekday", "meets"),
    [
        (dt.date(2026, 12, 8), 2, 1, True),  # the second Tuesday of December 2026
        (dt.date(2026, 12, 1), 2, 1, False),  # the first Tuesday
        (dt.date(2026, 12, 15), 2, 1, False),  # the third
        (dt.date(2026, 12, 31), -1, 3, True),  # the last Thursday
        (dt.date(2026, 12, 24), -1, 3, False),  # a Thursday, not the last
        (dt.date(2026, 12, 29), 1, 1, False),  # a fifth Tuesday is no "first"
    ],
)
def test_council_meets_on_its_week_and_weekday_only(day, week, weekday, meets):
    assert council(meeting_week=week, meeting_weekday=weekday).meets_on(day) is meets


def test_council_next_meeting_and_its_summary_in_english_and_spanish():
    partner = council()
    assert partner.next_meeting(dt.date(2026, 12, 9)) == dt.date(2027, 1, 12)
    with translation.override("en"):
        assert partner.meeting_summary().startswith("Second Tuesday of the month")
    with translation.override("es"):
        assert "martes" in partner.meeting_summary()
    assert PartnerFactory().meeting_summary() == ""


def test_admin_form_refuses_half_a_meeting_pattern_with_a_message():
    community = CommunityFactory()
    data = {
        "name": "Half council",
        "kind": "council",
        "communities": [community.pk],
        "meeting_week": "2",
        "meeting_weekday": "",
        "meeting_time": "",
        "is_active": "on",
    }
    with translation.override("en"):
        form = PartnerForm(data)
        assert not form.is_valid()
        errors = form.non_field_errors()
    assert errors == ["A regular meeting needs the week, the weekday and the time, or none of them."]
    form = PartnerForm({**data, "meeting_weekday": "1", "meeting_time": "18:30"})
    assert form.is_valid(), form.errors


def test_meetings_today_lists_councils_of_the_liaisons_communities_only():
    liaison = LiaisonFactory()
    mine, other = CommunityFactory(), CommunityFactory()
    Assignment.objects.create(liaison=liaison, community=mine, starts_on=dt.date(2020, 1, 1))
    ours = council()
    ours.communities.set([mine])
    theirs = council(name="Elsewhere council")
    theirs.communities.set([other])
    council(name="Gone council", is_active=False).communities.set([mine])
    assert selectors.meetings_on(liaison, dt.date(2026, 12, 8)) == [ours]
    assert selectors.meetings_on(liaison, dt.date(2026, 12, 9)) == []


def test_liaison_logs_attendance_at_todays_council_from_the_contact_log(client):
    today = timezone.localdate()
    liaison = LiaisonFactory()
    mine = CommunityFactory()
    Assignment.objects.create(liaison=liaison, community=mine, starts_on=dt.date(2020, 1, 1))
    week = -1 if (today + dt.timedelta(days=7)).month != today.month else (today.day - 1) // 7 + 1
    partner = council(meeting_week=week, meeting_weekday=today.weekday())
    partner.communities.set([mine])
    client.force_login(liaison.user)

    page = client.get("/en/contacts/new/").content.decode()
    assert "Meetings today" in page
    assert f'href="?partner={partner.pk}"' in page
    assert "Log attendance: Zone 3 Public Safety Council" in page

    response = client.get(f"/en/contacts/new/?partner={partner.pk}")
    form = response.context["form"]
    assert form.initial["kind"] == Contact.Kind.FORMAL_MEETING
    assert form.initial["partner"] == partner.pk
    assert form.initial["communities"] == [mine.pk]
    assert "Attendance at the meeting of Zone 3 Public Safety Council" in response.content.decode()

    # The liaison only says how many came, and saves.
    posted = {
        "date": today.isoformat(),
        "kind": form.initial["kind"],
        "communities": form.initial["communities"],
        "people_reached": "23",
        "language": "en",
        "partner": partner.pk,
    }
    assert client.post("/en/contacts/new/", posted).status_code == 302
    contact = Contact.objects.get()
    assert (contact.partner, contact.kind, contact.people_reached) == (partner, "formal_meeting", 23)


@pytest.mark.parametrize("bad", ["abc", "999999999999999999999", "-1", ""])
def test_contact_log_ignores_a_bad_partner_link(client, bad):
    liaison = LiaisonFactory()
    client.force_login(liaison.user)
    response = client.get(f"/en/contacts/new/?partner={bad}")
    assert response.status_code == 200
    assert response.context["meeting_of"] is None


def test_public_meetings_page_lists_councils_regular_meetings_only(client):
    mine, other = CommunityFactory(slug="somali-c"), CommunityFactory(slug="latino-c")
    ours = council()
    ours.communities.set([mine])
    association = council(name="Beechview Public Safety Association", kind=Partner.Kind.SAFETY_ASSOCIATION)
    association.communities.set([other])
    # A congregation's weekly gathering is its own to announce: never on the police's page.
    PartnerFactory(
        name="Masjid meeting",
        kind=Partner.Kind.FAITH,
        meeting_week=1,
        meeting_weekday=4,
        meeting_time=dt.time(20, 0),
    ).communities.set([mine])
    council(name="Closed council", is_active=False).communities.set([mine])

    html = client.get("/en/events/").content.decode()
    assert "Community councils that meet every month" in html
    assert "Zone 3 Public Safety Council" in html and "Beechview Public Safety Association" in html
    assert "Second Tuesday of the month" in html and "Next meeting:" in html
    assert "Masjid meeting" not in html and "Closed council" not in html
    only = client.get("/en/events/?community=somali-c").content.decode()
    assert "Zone 3 Public Safety Council" in only and "Beechview Public Safety Association" not in only
    assert client.get("/ar/events/").status_code == 200
