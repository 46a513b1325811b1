"""The trail page: coordinators read and filter it; nobody else opens it."""

import datetime as dt

import pytest
from django.utils import timezone

from audit import events
from audit.models import Entry
from audit.services import audit_record
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/en/staff/audit/"


@pytest.fixture
def coordinator(client, role_user):
    user = role_user("Coordinator")
    client.force_login(user)
    return user


def _rows(response):
    return response.content.decode().count('class="trail-row"')


def test_trail_shows_events_and_model_changes_together(client, coordinator):
    alice = UserFactory(username="alice")
    audit_record(event=events.LOGIN, actor=alice)
    ContactFactory()
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Signed in" in html and "alice" in html
    assert "Record created" in html and "Contact" in html
    assert 'class="table-responsive" tabindex="0"' in html and "<caption" in html


@pytest.mark.parametrize("role", ["Liaison officer", "Commander"])
def test_trail_is_closed_to_liaisons_and_commanders(client, role_user, role):
    client.force_login(role_user(role))
    assert client.get(URL).status_code == 403


def test_trail_link_is_in_the_staff_menu_only_for_coordinators(client, role_user, coordinator):
    assert URL in client.get("/en/concerns/queue/").content.decode()
    client.force_login(role_user("Commander"))
    assert URL not in client.get("/en/concerns/queue/").content.decode()


def test_trail_filters_by_event_actor_dates_and_object_type(client, coordinator):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    audit_record(event=events.LOGIN, actor=alice)
    audit_record(event=events.EXPORT, actor=bob, data={"export": "contacts"})
    carol = Entry.objects.create(
        event=events.LOGIN, actor_username="carol", timestamp=timezone.now() - dt.timedelta(days=40)
    )
    ContactFactory()
    before = Entry.objects.count()
    assert _rows(client.get(URL)) == before
    # The coordinator's own sign-in is on the trail too.
    assert (
        _rows(client.get(URL, {"event": events.LOGIN}))
        == Entry.objects.filter(event=events.LOGIN).count()
        == 3
    )
    assert _rows(client.get(URL, {"actor": "bo"})) == 1
    # The entry's own day in the unit's time zone: forty days back may cross a change of clocks.
    old_day = timezone.localdate(carol.timestamp).isoformat()
    html = client.get(URL, {"date_from": old_day, "date_to": old_day}).content.decode()
    assert "carol" in html and "alice" not in html
    contact_rows = Entry.objects.filter(content_type__model="contact").count()
    assert contact_rows >= 1
    assert _rows(client.get(URL, {"object_type": "liaison.contact"})) == contact_rows


def test_trail_ignores_filters_it_does_not_understand(client, coordinator):
    audit_record(event=events.LOGIN)
    response = client.get(URL, {"event": "nonsense", "date_from": "yesterday"})
    assert response.status_code == 200 and "were not understood" in response.content.decode()


def test_trail_pages_by_fifty(client, coordinator):
    Entry.objects.bulk_create(Entry(event=events.LOGIN, actor_username=f"u{i}") for i in range(60))
    assert _rows(client.get(URL)) == 50
    assert _rows(client.get(URL, {"page": 2})) == Entry.objects.count() - 50


@pytest.mark.parametrize("count", [1, 60])
def test_trail_query_count_does_not_grow_with_rows(rf, role_user, django_assert_num_queries, count):
    """The page itself reads the trail in two queries (count, then one page of rows with
    their diffs and object types), however many rows. Measured on the view, so that the
    sign-in middleware's own queries (session, user, second factor) do not move the pin."""
    from audit import views

    Entry.objects.bulk_create(Entry(event=events.LOGIN, actor_username=f"u{i}") for i in range(count))
    ContactFactory()  # rows with a django-auditlog diff and an object type
    request = rf.get(URL)
    request.user = role_user("Coordinator")
    assert request.user.has_perm("audit.view_trail")  # the permission cache, as a request warms it
    views.trail(request)  # and the content-type cache
    with django_assert_num_queries(2):
        response = views.trail(request)
    assert response.status_code == 200
    assert response.content.decode().count('class="trail-row"') == min(50, Entry.objects.count())
