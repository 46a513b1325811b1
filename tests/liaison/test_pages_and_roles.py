"""Each role against each liaison page and write, and constant query counts on list pages."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.models import Assignment, Contact, LanguageSkill
from tests.factories import CommunityFactory, ContactFactory, LiaisonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "list_status", "new_status"),
    [("Liaison officer", 200, 200), ("Commander", 200, 403), ("Coordinator", 200, 403)],
)
def test_roles_contact_pages(client, role_user, role, list_status, new_status):
    if role == "Liaison officer":
        user = LiaisonFactory().user
    else:
        user = role_user(role)
    client.force_login(user)
    assert client.get("/en/contacts/").status_code == list_status
    # Coordinators without a liaison profile manage contacts in the admin instead.
    assert client.get("/en/contacts/new/").status_code == new_status


def test_roles_liaison_sees_only_own_contacts_commander_sees_all(client, role_user):
    mine = ContactFactory()
    theirs = ContactFactory()
    client.force_login(mine.liaison.user)
    assert list(client.get("/en/contacts/").context["page"].object_list) == [mine]
    client.force_login(role_user("Commander"))
    assert set(client.get("/en/contacts/").context["page"].object_list) == {mine, theirs}


def test_roles_liaison_cannot_edit_or_delete_another_liaisons_contact(client):
    theirs = ContactFactory()
    me = LiaisonFactory()
    client.force_login(me.user)
    assert client.get(f"/en/contacts/{theirs.pk}/edit/").status_code == 403
    assert client.post(f"/en/contacts/{theirs.pk}/delete/").status_code == 403
    assert Contact.objects.filter(pk=theirs.pk).exists()


def test_roles_commander_is_read_only(client, role_user):
    contact = ContactFactory()
    client.force_login(role_user("Commander"))
    html = client.get("/en/contacts/").content.decode()
    assert f"/contacts/{contact.pk}/edit/" not in html
    assert client.post(f"/en/contacts/{contact.pk}/delete/").status_code == 403
    assert client.post(f"/en/contacts/{contact.pk}/edit/", {"people_reached": 99}).status_code == 403


def test_roles_liaison_edits_and_deletes_own_contact(client):
    contact = ContactFactory()
    client.force_login(contact.liaison.user)
    community = contact.communities.first()
    response = client.post(
        f"/en/contacts/{contact.pk}/edit/",
        {
            "date": contact.date.isoformat(),
            "kind": "event",
            "communities": [community.pk],
            "people_reached": "40",
            "language": "ne",
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.kind, contact.people_reached) == ("event", 40)
    assert client.post(f"/en/contacts/{contact.pk}/delete/").status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_contact_list_filters_by_quarter_community_kind(client, role_user):
    a, b = CommunityFactory(), CommunityFactory()
    old = ContactFactory(date=dt.date(2024, 2, 10), communities=[a], kind="event")
    ContactFactory(date=dt.date(2024, 5, 10), communities=[a], kind="event")
    ContactFactory(date=dt.date(2024, 2, 11), communities=[b], kind="event")
    ContactFactory(date=dt.date(2024, 2, 12), communities=[a], kind="phone_call")
    client.force_login(role_user("Commander"))
    response = client.get("/en/contacts/", {"quarter": "2024-Q1", "community": a.pk, "kind": "event"})
    assert list(response.context["page"].object_list) == [old]


def test_contact_list_unknown_filter_is_ignored_with_a_message(client, role_user):
    ContactFactory()
    client.force_login(role_user("Commander"))
    response = client.get("/en/contacts/", {"kind": "bogus"})
    assert response.status_code == 200
    assert "were not understood" in response.content.decode()


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_contact_list_query_count_does_not_grow_with_rows(client, role_user):
    user = role_user("Commander")
    client.force_login(user)
    ContactFactory()
    one = _count_queries(client, "/en/contacts/")
    for _ in range(30):
        ContactFactory()
    assert _count_queries(client, "/en/contacts/") == one


def test_directory_query_count_does_not_grow_with_rows(client):
    def add():
        lz = LiaisonFactory()
        LanguageSkill.objects.create(liaison=lz, language="ar")
        Assignment.objects.create(liaison=lz, community=CommunityFactory(), starts_on=dt.date(2024, 1, 1))

    add()
    one = _count_queries(client, "/en/liaisons/")
    for _ in range(15):
        add()
    assert _count_queries(client, "/en/liaisons/") == one


def test_contact_list_filters_by_unit_language_and_interpreter(client, role_user):
    north = LiaisonFactory(unit="Zone 1")
    south = LiaisonFactory(unit="Zone 6")
    hit = ContactFactory(liaison=north, language="so", interpreter_used=True)
    ContactFactory(liaison=north, language="so", interpreter_used=False)
    ContactFactory(liaison=south, language="so", interpreter_used=True)
    ContactFactory(liaison=north, language="ar", interpreter_used=True)
    client.force_login(role_user("Commander"))
    response = client.get("/en/contacts/", {"unit": "Zone 1", "language": "so", "interpreter": "yes"})
    assert list(response.context["page"].object_list) == [hit]


def test_contact_list_pages_by_seeking_newest_first_with_no_row_lost_or_repeated(
    client, role_user, monkeypatch
):
    """Pages follow the last row seen (date and id), not an offset: walking Next to the end
    and Previous back lists every contact once, newest first, and the filter stays on."""
    import datetime as dt

    from liaison import paging, views
    from tests.factories import CommunityFactory, ContactFactory, LiaisonFactory

    community = CommunityFactory()
    liaison = LiaisonFactory()
    today = dt.date.today()
    made = [
        ContactFactory(liaison=liaison, date=today - dt.timedelta(days=i // 3), communities=[community])
        for i in range(60)
    ]
    ContactFactory(liaison=liaison, date=today)  # another community: filtered out
    expected = sorted(made, key=lambda c: (c.date, c.pk), reverse=True)
    client.force_login(role_user("Coordinator"))
    seen, pages, url = [], [], f"/en/contacts/?community={community.pk}"
    while url:
        response = client.get(url)
        page = response.context["page"]
        assert page.count == 60
        pages.append(url)
        seen += list(page.object_list)
        url = f"/en/contacts/?community={community.pk}&older={page.older}" if page.older else None
        if url:
            assert f"community={community.pk}&amp;older={page.older}" in response.content.decode()
    assert len(pages) == 3 and [c.pk for c in seen] == [c.pk for c in expected]
    # Previous from the last page comes back to the middle one, in the same order.
    last = client.get(pages[-1]).context["page"]
    middle = client.get(f"/en/contacts/?community={community.pk}&newer={last.newer}").context["page"]
    assert [c.pk for c in middle.object_list] == [
        c.pk for c in expected[views.PAGE_SIZE : 2 * views.PAGE_SIZE]
    ]
    # A cursor typed by hand, or cut short, shows the newest page; never an error.
    for bad in ("older=yesterday", "newer=2026-13-45.1", "older=2026-01-01.", "older=%00"):
        response = client.get(f"/en/contacts/?{bad}")
        assert response.status_code in (200, 400)
    # Past the cap, the count says so instead of counting a million rows.
    monkeypatch.setattr(paging, "COUNT_CAP", 50)
    assert "More than 50 contacts" in client.get("/en/contacts/").content.decode()


def test_contact_list_liaison_filter_is_grouped_by_unit_and_keeps_the_choice(client, role_user):
    from tests.factories import LiaisonFactory

    amina = LiaisonFactory(unit="Zone 3", user__first_name="Amina", user__last_name="Hassan")
    LiaisonFactory(unit="Zone 1", user__first_name="Luis", user__last_name="Garcia")
    client.force_login(role_user("Coordinator"))
    html = client.get(f"/en/contacts/?liaison={amina.pk}").content.decode()
    zone1, zone3 = html.index('<optgroup label="Zone 1">'), html.index('<optgroup label="Zone 3">')
    assert zone1 < html.index("Luis Garcia") < zone3 < html.index("Amina Hassan")
    assert f'<option value="{amina.pk}" selected>Amina Hassan</option>' in html
    assert '<label class="form-label" for="id_liaison">Liaison</label>' in html
