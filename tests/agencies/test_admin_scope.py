"""The admin of one agency's coordinator, against another agency: the sign-in records of its
staff, the settings the whole deployment shares, and the accounts a form accepts."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.test import Client

from agencies import context
from agencies.models import Agency
from agencies.services import agency_create, member_set
from feedback.models import ConcernCategory
from liaison.models import Liaison, Topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies(settings):
    settings.ALLOWED_HOSTS = ["testserver", "bridge.storm-lake.example"]
    main = Agency.objects.get(pk=context.default_agency_id())
    storm_lake = agency_create(
        slug="storm-lake", name="Storm Lake Police", domain="bridge.storm-lake.example"
    )
    return main, storm_lake


def _coordinator_client(agency, host="testserver"):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Coordinator"))
    member_set(user=user, agency=agency)
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


def _sign_in_records(username, address):
    AccessAttempt.objects.create(
        username=username, ip_address=address, user_agent="Probe", failures_since_start=9
    )
    AccessLog.objects.create(username=username, ip_address=address, user_agent="Probe")
    AccessFailureLog.objects.create(
        username=username, ip_address=address, user_agent="Probe", locked_out=True
    )


ADMIN_PAGES = ["/admin/axes/accessattempt/", "/admin/axes/accesslog/", "/admin/axes/accessfailurelog/"]


def test_a_coordinator_sees_the_sign_in_records_of_the_own_agency_staff_only(agencies):
    main, storm_lake = agencies
    mine = UserFactory(username="main-officer")
    member_set(user=mine, agency=main)
    theirs = UserFactory(username="storm-lake-officer")
    member_set(user=theirs, agency=storm_lake)
    _sign_in_records("main-officer", "198.51.100.7")
    _sign_in_records("storm-lake-officer", "203.0.113.9")
    client = _coordinator_client(main)
    for url in ADMIN_PAGES:
        page = client.get(url).content.decode()
        assert "main-officer" in page and "198.51.100.7" in page, url
        assert "storm-lake-officer" not in page and "203.0.113.9" not in page, url
    other = AccessAttempt.objects.get(username="storm-lake-officer")
    assert client.get(f"/admin/axes/accessattempt/{other.pk}/change/").status_code in (302, 404)
    # Unlocking another agency's accounts: the action finds nothing to lift.
    client.post("/admin/axes/accessattempt/", {"action": "unlock", "_selected_action": [other.pk]})
    assert AccessAttempt.objects.filter(username="storm-lake-officer").exists()
    # The other agency's coordinator sees its own staff's, not the first agency's.
    page = _coordinator_client(storm_lake, "bridge.storm-lake.example").get(ADMIN_PAGES[0]).content.decode()
    assert "storm-lake-officer" in page and "main-officer" not in page


@pytest.mark.parametrize(
    "url",
    ["/admin/auth/group/", "/admin/feedback/concerncategory/", "/admin/liaison/topic/"],
)
def test_settings_every_agency_shares_are_read_only_to_one_agency_coordinator(agencies, url):
    main, storm_lake = agencies
    client = _coordinator_client(storm_lake, "bridge.storm-lake.example")
    model = {
        "/admin/auth/group/": Group,
        "/admin/feedback/concerncategory/": ConcernCategory,
        "/admin/liaison/topic/": Topic,
    }[url]
    row = model.objects.order_by("pk").first()
    assert client.get(f"{url}add/").status_code == 403
    change = client.get(f"{url}{row.pk}/change/")
    # Seen (the roles and lists are the same for all), never changed from inside one agency.
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    before = {f.name: getattr(row, f.name) for f in model._meta.concrete_fields}
    assert client.post(f"{url}{row.pk}/change/", {"name": "Taken over"}).status_code == 403
    row.refresh_from_db()
    assert {f.name: getattr(row, f.name) for f in model._meta.concrete_fields} == before


def test_with_one_agency_its_coordinator_still_edits_the_shared_settings(settings):
    client = _coordinator_client(Agency.objects.get(pk=context.default_agency_id()))
    assert client.get("/admin/feedback/concerncategory/add/").status_code == 200


def test_the_liaison_admin_refuses_another_agency_account(agencies):
    main, storm_lake = agencies
    theirs = UserFactory(username="storm-lake-officer")
    member_set(user=theirs, agency=storm_lake)
    client = _coordinator_client(main)
    response = client.post(
        "/admin/liaison/liaison/add/",
        {
            "user": theirs.pk,
            "badge_number": "X-1",
            "kind": "officer",
            "is_active": "on",
            "languageskill_set-TOTAL_FORMS": "0",
            "languageskill_set-INITIAL_FORMS": "0",
            "assignment_set-TOTAL_FORMS": "0",
            "assignment_set-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form again, with its error
    assert response.context["adminform"].form.errors.get("user"), response.context["adminform"].form.errors
    assert not Liaison.all_agencies.filter(user=theirs).exists()


def test_the_interface_text_all_agencies_share_is_translated_by_the_hosting_agency_only(agencies):
    # The catalogues are the deployment's: a translator of one hosted agency would rewrite the
    # text every agency shows. Those of the hosting (default) agency still translate.
    from django.urls import reverse

    from liaison import roles

    main, storm_lake = agencies
    url = reverse("rosetta-file-list", kwargs={"po_filter": "project"})

    def translator_of(agency, host):
        user = UserFactory(is_staff=True)
        user.groups.add(Group.objects.get(name=roles.TRANSLATOR))
        member_set(user=user, agency=agency)
        client = Client(HTTP_HOST=host)
        client.force_login(user)
        return client

    hosted = translator_of(storm_lake, "bridge.storm-lake.example")
    assert hosted.get(url).status_code == 403
    assert (
        reverse("rosetta-file-list", kwargs={"po_filter": "project"})
        not in hosted.get("/en/staff/").content.decode()
    )
    assert translator_of(main, "testserver").get(url).status_code == 200
