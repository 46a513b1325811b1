"""The regional view: the figures of the agencies that agreed to share them, summed, for a
regional analyst; never an agency that did not agree, never a record or a person's details."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from agencies import context as agency_context
from agencies import services as agency_services
from agencies.models import Agency
from audit import events as audit_events
from audit.models import Entry
from dashboard import regional
from liaison.models import Contact
from liaison.quarters import Quarter
from surveys.models import SurveyResponse
from tests.factories import CommunityFactory, ConcernFactory, ContactFactory, LiaisonFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "planted.submitter@example.org"
SECRET_NOTE = "Planted note: lives above the bakery"


def _agency(slug: str, name: str, shares: bool) -> Agency:
    return agency_services.agency_create(slug=slug, name=name, shares_regional_figures=shares)


def _seed(agency: Agency, *, contacts: int, people: int = 2, somali: bool = True, surveys: int = 0):
    """In `agency`: a liaison, a "somali" and an own community, `contacts` contacts with
    Somali, one concern, `surveys` survey answers about Somali."""
    quarter = Quarter.current()
    with agency_context.use(agency):
        liaison = LiaisonFactory(user__first_name="Hidden", user__last_name=f"Person{agency.slug}")
        comm = CommunityFactory(
            slug="somali" if somali else f"only-{agency.slug}", name=f"Somali {agency.slug}"
        )
        own = CommunityFactory(slug=f"unreached-{agency.slug}", name=f"Unreached {agency.slug}")
        for _i in range(contacts):
            ContactFactory(
                liaison=liaison,
                date=quarter.start,
                communities=[comm],
                people_reached=people,
                notes=SECRET_NOTE,
            )
        ConcernFactory(
            email=SECRET_EMAIL, contact_method="email", text="Planted concern text", community=comm
        )
        for _i in range(surveys):
            SurveyResponse.objects.create(
                source="pulse",
                language="en",
                respect=5,
                would_contact=2,
                know_how=4,
                community=comm,
                submitted_on=quarter.start,
                comment="Planted comment",
            )
    return {"liaison": liaison, "community": comm, "own": own}


@pytest.fixture
def region(settings):
    settings.SURVEY_MIN_RESPONSES = 3
    north = _agency("north", "North County Police", True)
    south = _agency("south", "South City Police", True)
    west = _agency("west", "West Borough Police", False)  # did not agree: never counted
    return {
        "north": north,
        "south": south,
        "west": west,
        "data": {
            "north": _seed(north, contacts=3, people=2, surveys=2),
            "south": _seed(south, contacts=2, people=5, surveys=2),
            "west": _seed(west, contacts=4, people=7, somali=False, surveys=5),
        },
    }


def _analyst_client(client):
    user = UserFactory(username="analyst")
    agency_services.member_set(
        user=user, agency=Agency.objects.get(pk=agency_context.default_agency_id()), regional_analyst=True
    )
    client.force_login(user)
    return client


def test_regional_sums_equal_a_recount_of_the_sharing_agencies_rows(region):
    fig = regional.regional_figures(Quarter.current())
    sharing = [region["north"].pk, region["south"].pk]
    assert {a["name"] for a in fig.agencies} == {"North County Police", "South City Police"}
    recount = Contact.all_agencies.filter(agency_id__in=sharing, date__gte=Quarter.current().start)
    assert fig.total_contacts == recount.count() == 5
    assert fig.total_people == sum(recount.values_list("people_reached", flat=True)) == 3 * 2 + 2 * 5
    somali = next(r for r in fig.communities if r["slug"] == "somali")
    assert (somali["agencies"], somali["contacts"], somali["people"]) == (2, 5, 16)
    assert fig.concerns["received"] == 2
    assert {r["agency"]: r["received"] for r in fig.concerns["by_agency"]} == {
        "North County Police": 1,
        "South City Police": 1,
    }
    gaps = {g["agency"]: g["communities"] for g in fig.gaps}
    assert gaps == {"North County Police": ["Unreached north"], "South City Police": ["Unreached south"]}


def test_regional_never_counts_an_agency_that_does_not_share(region):
    fig = regional.regional_figures(Quarter.current())
    slugs = {r["slug"] for r in fig.communities}
    assert "only-west" not in slugs and "unreached-west" not in slugs
    assert "West Borough Police" not in [g["agency"] for g in fig.gaps]
    assert fig.trend[-1]["contacts"] == 5  # west's four contacts are nowhere


def test_regional_hides_survey_groups_under_the_threshold(region, settings):
    # Somali: 2 answers in north + 2 in south = 4, at or above 3: shown; west's 5 never count.
    fig = regional.regional_figures(Quarter.current())
    assert [(r["label"], r["answers"]) for r in fig.surveys["rows"]] == [("Somali north", 4)]
    assert fig.surveys["rows"][0]["agree"] == [100, 0, 100]
    settings.SURVEY_MIN_RESPONSES = 5
    fig = regional.regional_figures(Quarter.current())
    assert fig.surveys["rows"] == [] and fig.surveys["total"] is None and fig.surveys["hidden"] == 1


def test_regional_total_never_gives_away_a_hidden_group(region):
    # Somali: 4 answers, shown. A second group of 2 answers in north alone, under the threshold
    # of 3: hidden, and the total must not be shown either, or total minus Somali would be it.
    quarter = Quarter.current()
    with agency_context.use(region["north"]):
        small = CommunityFactory(slug="only-north-small", name="Small north")
        for _i in range(2):
            SurveyResponse.objects.create(
                source="pulse",
                language="en",
                respect=1,
                would_contact=1,
                know_how=1,
                community=small,
                submitted_on=quarter.start,
            )
    fig = regional.regional_figures(quarter)
    assert [r["answers"] for r in fig.surveys["rows"]] == [4] and fig.surveys["hidden"] == 1
    assert fig.surveys["total"] is None
    # Two hidden groups whose sum reaches the threshold: the total no longer singles one out.
    with agency_context.use(region["south"]):
        other = CommunityFactory(slug="only-south-small", name="Small south")
        SurveyResponse.objects.create(
            source="pulse",
            language="en",
            respect=1,
            would_contact=1,
            know_how=1,
            community=other,
            submitted_on=quarter.start,
        )
    fig = regional.regional_figures(quarter)
    assert fig.surveys["hidden"] == 2 and fig.surveys["total"]["answers"] == 7


def test_regional_page_with_no_threshold_and_no_answers_is_shown(client, settings):
    settings.SURVEY_MIN_RESPONSES = 0
    _analyst_client(client)
    assert client.get("/en/regional/").status_code == 200


@pytest.mark.parametrize("agencies", [1, 6])
def test_regional_query_count_does_not_grow_with_the_agencies(django_assert_num_queries, agencies):
    for i in range(agencies):
        _seed(_agency(f"a{i}", f"Agency {i}", True), contacts=2, surveys=1)
    with django_assert_num_queries(6):
        regional.regional_figures(Quarter.current())


def test_regional_page_access(client, role_user, region):
    assert "/accounts/login/" in client.get("/en/regional/")["Location"]
    client.force_login(role_user("Commander"))
    assert client.get("/en/regional/").status_code == 403
    assert client.get("/en/regional/export.csv").status_code == 403
    _analyst_client(client)
    response = client.get("/en/regional/")
    assert response.status_code == 200
    page = response.content.decode()
    # The sign naming the agencies counted, and the figures read through the request's role.
    assert "North County Police" in page and "South City Police" in page
    assert "West Borough Police" not in page
    assert "Somali north" in page
    assert Entry.objects.filter(event=audit_events.REGIONAL_VIEWED).count() == 1


def test_regional_analyst_without_a_unit_role_lands_on_the_regional_view(client):
    _analyst_client(client)
    assert client.get("/en/staff/")["Location"] == "/en/regional/"
    assert client.get("/en/contacts/").status_code == 403
    assert client.get("/en/dashboard/").status_code == 403
    page = client.get("/en/regional/").content.decode()
    assert 'href="/en/regional/"' in page
    # The menu offers only what the analyst may open: no link that answers 403.
    assert 'href="/en/contacts/new/"' not in page and 'href="/en/contacts/"' not in page


def test_regional_export_is_on_the_audit_trail(client, region):
    _analyst_client(client)
    response = client.get("/en/regional/export.csv", {"quarter": Quarter.current().key})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert ["North County Police"] in rows and ["South City Police"] in rows
    assert any(r[:1] == ["Somali north"] and r[2:4] == ["5", "16"] for r in rows)
    entry = Entry.objects.get(event=audit_events.REGIONAL_EXPORTED)
    assert entry.data["quarter"] == Quarter.current().key
    assert sorted(entry.data["agencies"]) == sorted([region["north"].pk, region["south"].pk])


def test_regional_shows_no_personal_data(client, region):
    _analyst_client(client)
    page = client.get("/en/regional/").content.decode()
    export = b"".join(client.get("/en/regional/export.csv").streaming_content).decode("utf-8-sig")
    for text in (page, export):
        for secret in (
            SECRET_EMAIL,
            SECRET_NOTE,
            "Planted concern text",
            "Planted comment",
            "Hiddennorth",
            "Personnorth",
        ):
            assert secret not in text


def test_regional_role_sees_no_agency_that_does_not_share(region):
    """The database's own wall: even a query without a filter reads only sharing agencies."""
    if connection.vendor != "postgresql":
        pytest.skip("row-level security is PostgreSQL's")
    from agencies import rls

    with connection.cursor() as cur:
        assert rls.enter(region["north"].pk)
        try:
            with rls.regional():
                cur.execute("SELECT DISTINCT agency_id FROM liaison_contact")
                seen = {row[0] for row in cur.fetchall()}
            cur.execute("SELECT DISTINCT agency_id FROM liaison_contact")
            after = {row[0] for row in cur.fetchall()}
        finally:
            rls.leave()
    assert seen == {region["north"].pk, region["south"].pk}
    assert after == {region["north"].pk}


def test_regional_analyst_command_makes_and_unmakes_an_analyst(client):
    from io import StringIO

    from django.core.management import call_command

    from agencies.selectors import is_regional_analyst

    north = _agency("north", "North County Police", True)
    call_command("regional_analyst", "ruth", "--agency", "north", stdout=StringIO())
    user = get_user_model().objects.get(username="ruth")
    assert is_regional_analyst(user) and user.agency_membership.agency == north
    assert not user.has_usable_password()  # set with changepassword before the first sign-in
    call_command("regional_analyst", "ruth", "--agency", "north", "--remove", stdout=StringIO())
    assert not is_regional_analyst(user)
