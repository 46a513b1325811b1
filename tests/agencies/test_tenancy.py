"""The core of many agencies: which agency a request, a row and a task belong to."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from agencies import context
from agencies.models import Agency, Membership
from agencies.selectors import agency_for_host
from agencies.services import agency_create, agency_update, member_set
from feedback.models import StatusChange
from liaison.models import Contact, PriorityCommunity
from messaging.models import Message
from tests.conftest import verify_second_factor
from tests.factories import CommunityFactory, ConcernFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def hosts(settings):
    settings.ALLOWED_HOSTS = ["testserver", "bridge.storm-lake.example", ".county.example"]
    settings.BRIDGE_AGENCY_DOMAIN = "county.example"


@pytest.fixture
def main():
    return Agency.objects.get(pk=context.default_agency_id())


@pytest.fixture
def storm_lake(hosts):
    return agency_create(slug="storm-lake", name="Storm Lake Police", domain="bridge.storm-lake.example")


def test_the_upgrade_leaves_one_agency_named_as_the_unit(main):
    assert list(Agency.objects.values_list("slug", flat=True)) == ["main"]
    assert main.name == "Community Liaison Unit"


def test_host_names_choose_the_agency_own_domain_sub_domain_or_the_default(storm_lake, main):
    tulsa = agency_create(slug="tulsa", name="Tulsa Police")
    assert agency_for_host("bridge.storm-lake.example") == storm_lake
    assert agency_for_host("BRIDGE.Storm-Lake.example:443") == storm_lake
    assert agency_for_host("tulsa.county.example") == tulsa
    assert agency_for_host("nobody.county.example") == main
    assert agency_for_host("testserver") == main


def test_a_changed_domain_is_seen_at_once(storm_lake, main):
    assert agency_for_host("bridge.storm-lake.example") == storm_lake
    storm_lake.domain = "bridge.stormlake.example"
    agency_update(agency=storm_lake)
    assert agency_for_host("bridge.storm-lake.example") == main
    assert agency_for_host("bridge.stormlake.example") == storm_lake


def test_rows_made_while_working_for_an_agency_are_its_own_and_only_it_sees_them(storm_lake, main):
    CommunityFactory(slug="somali", name="Somali A")
    with context.use(storm_lake):
        CommunityFactory(slug="somali", name="Somali B")  # the same slug: per agency
        assert list(PriorityCommunity.objects.values_list("name", flat=True)) == ["Somali B"]
    with context.use(main):
        assert list(PriorityCommunity.objects.values_list("name", flat=True)) == ["Somali A"]
    assert PriorityCommunity.all_agencies.count() == 2


def test_a_child_row_takes_its_parent_agency_whoever_writes_it(storm_lake, main):
    with context.use(storm_lake):
        concern = ConcernFactory()
        contact = ContactFactory()
    # Written with no agency worked for (a task, a command): still the parent's agency.
    change = StatusChange.objects.create(concern=concern, from_status="new", to_status="in_review")
    assert change.agency_id == storm_lake.pk
    Contact.all_agencies.filter(pk=contact.pk).update(notes="edited")
    assert Contact.all_agencies.get(pk=contact.pk).agency_id == storm_lake.pk


def test_bulk_created_rows_are_the_current_agency(storm_lake):
    with context.use(storm_lake):
        Message.objects.bulk_create(
            Message(key=f"k{i}", channel="email", address="a@example.org", language="en", body="b")
            for i in range(3)
        )
    assert set(Message.all_agencies.values_list("agency_id", flat=True)) == {storm_lake.pk}


def _coordinator(agency=None):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Coordinator"))
    if agency is not None:
        member_set(user=user, agency=agency)
    return user


def test_an_account_made_for_an_agency_works_for_it(storm_lake, main):
    assert Membership.objects.get(user=_coordinator()).agency == main
    with context.use(storm_lake):
        assert Membership.objects.get(user=UserFactory()).agency == storm_lake


def test_a_session_made_on_one_agency_is_not_signed_in_on_another(storm_lake, client):
    user = _coordinator(storm_lake)
    client.defaults["HTTP_HOST"] = "bridge.storm-lake.example"
    client.force_login(user)
    verify_second_factor(client, user)
    assert client.get("/en/staff/audit/").status_code == 200
    # The same session cookie sent to the default agency's host: not signed in there.
    response = client.get("/en/staff/audit/", HTTP_HOST="testserver")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_signing_in_on_another_agency_host_fails_like_a_wrong_password(storm_lake):
    user = _coordinator(storm_lake)
    at_main, at_storm_lake = Client(), Client(HTTP_HOST="bridge.storm-lake.example")
    form = {"username": user.username, "password": PASSWORD}
    refused = at_main.post("/en/accounts/login/", form)
    wrong = at_main.post("/en/accounts/login/", {**form, "password": "not it"})
    assert refused.status_code == wrong.status_code == 200
    assert "_auth_user_id" not in at_main.session
    at_storm_lake.post("/en/accounts/login/", form)
    assert at_storm_lake.session.get("_auth_user_id") == str(user.pk)


def test_the_contact_list_shows_only_the_agency_records(storm_lake, client):
    ContactFactory(communities=[CommunityFactory(name="Main Street Bhutanese")])
    with context.use(storm_lake):
        ContactFactory(communities=[CommunityFactory(name="Storm Lake Karen")])
        user = _coordinator()
    client.defaults["HTTP_HOST"] = "bridge.storm-lake.example"
    client.force_login(user)
    verify_second_factor(client, user)
    page = client.get("/en/contacts/").content.decode()
    assert "Storm Lake Karen" in page and "Main Street Bhutanese" not in page
    client.defaults["HTTP_HOST"] = "testserver"
    other = _coordinator()
    client.force_login(other)
    verify_second_factor(client, other)
    page = client.get("/en/contacts/").content.decode()
    assert "Main Street Bhutanese" in page and "Storm Lake Karen" not in page


def test_links_in_an_agency_messages_start_with_its_own_address(storm_lake, main, settings):
    from agencies import conf

    settings.SITE_URL = "https://bridge.example-county.gov"
    tulsa = agency_create(slug="tulsa", name="Tulsa Police")
    assert conf.site_url(storm_lake) == "https://bridge.storm-lake.example"
    assert conf.site_url(tulsa) == "https://tulsa.county.example"
    assert conf.site_url(main) == "https://bridge.example-county.gov"


def test_a_streamed_contacts_export_holds_only_the_agency_rows(storm_lake, client):
    """The CSV is written while the response streams, after the view has returned."""
    from django.contrib.auth.models import Group as G

    ContactFactory.create_batch(2)
    with context.use(storm_lake):
        ContactFactory.create_batch(3)
        commander = UserFactory()
        commander.groups.add(G.objects.get(name="Commander"))
    client.defaults["HTTP_HOST"] = "bridge.storm-lake.example"
    client.force_login(commander)
    verify_second_factor(client, commander)
    response = client.post("/en/dashboard/export/contacts.csv")
    assert response.status_code == 200 and response.streaming
    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + 3


def test_a_streamed_export_is_written_in_the_language_it_was_asked_in(client, role_user):
    """The rows are written after the view returned, when the server's thread may be serving
    someone else in another language: the file stays in the language of its own request."""
    from django.utils import translation

    ContactFactory.create_batch(2)
    client.force_login(role_user("Commander"))

    def export(active_while_streaming):
        response = client.post("/es/dashboard/export/contacts.csv")
        assert response.status_code == 200 and response.streaming
        with translation.override(active_while_streaming):
            return b"".join(response.streaming_content).decode("utf-8-sig")

    spanish = export("es")
    assert export("fr") == spanish
    assert export("en") == spanish
