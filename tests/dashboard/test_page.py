"""What a commander sees: the quarter's figures, the coverage gap first, links to the records
behind each figure, filters, empty states, and a query count that does not grow with rows."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.models import QuarterlyTarget
from liaison.quarters import Quarter
from surveys.models import SurveyResponse
from tests.factories import CommunityFactory, ContactFactory, LiaisonFactory

from .helpers import a_day_in, contact, last_quarter, small_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def commander(client, role_user):
    client.force_login(role_user("Commander"))
    return client


def _rows(fig):
    return {r["name"]: (r["contacts"], r["people"], r["target"]) for r in fig.liaisons}


def test_page_shows_contacts_per_liaison_against_target(commander):
    data = small_unit()
    QuarterlyTarget.objects.create(liaison=None, contacts=10)
    QuarterlyTarget.objects.create(liaison=data["liaisons"][1], contacts=4)
    response = commander.get("/en/dashboard/", {"quarter": data["quarter"].key})
    fig = response.context["fig"]
    assert _rows(fig) == {"Amina Hassan": (2, 50, 10), "Luis Garcia": (2, 3, 4)}
    assert fig.total_contacts == 4
    assert fig.total_people == 53
    html = response.content.decode()
    assert "Amina Hassan" in html and "50%" in html


def test_page_shows_coverage_gap_first(commander):
    data = small_unit()
    response = commander.get("/en/dashboard/", {"quarter": data["quarter"].key})
    fig = response.context["fig"]
    assert [c.name for c in fig.gap] == ["Somali"]
    html = response.content.decode()
    gap = html.index('id="coverage-gap"')
    assert gap < html.index('id="per-liaison"') < html.index('id="per-community"')
    assert "1 priority community had no contact this quarter" in html


def test_page_gap_leaves_out_communities_not_a_priority_that_quarter(commander):
    data = small_unit()
    q = data["quarter"]
    CommunityFactory(
        name="Ukrainian", name_en="Ukrainian", active_until=q.start.replace(year=q.start.year - 1)
    )
    CommunityFactory(name="Newcomers", name_en="Newcomers", active_from=q.end.replace(year=q.end.year + 1))
    fig = commander.get("/en/dashboard/", {"quarter": q.key}).context["fig"]
    assert [c.name for c in fig.gap] == ["Somali"]


def test_page_counts_a_contact_in_each_of_its_communities(commander):
    data = small_unit()
    fig = commander.get("/en/dashboard/", {"quarter": data["quarter"].key}).context["fig"]
    per = {r["community"].name: (r["contacts"], r["people"]) for r in fig.communities}
    assert per == {"Latino": (3, 43), "Bhutanese": (2, 50), "Somali": (0, 0)}


def test_page_breaks_down_by_kind_language_and_interpreter(commander):
    data = small_unit()
    fig = commander.get("/en/dashboard/", {"quarter": data["quarter"].key}).context["fig"]
    assert {r["code"]: r["contacts"] for r in fig.kinds} == {"formal_meeting": 1, "event": 1, "phone_call": 2}
    assert {r["label"]: r["contacts"] for r in fig.languages} == {"Nepali": 2, "Spanish": 2}
    assert fig.interpreter == 1
    assert fig.interpreter_percent == 25


def test_page_trend_has_eight_quarters_ending_with_the_chosen_one(commander):
    data = small_unit()
    q = data["quarter"]
    trend = commander.get("/en/dashboard/", {"quarter": q.key}).context["trend"]
    assert [r["quarter"] for r in trend] == q.last(8)
    assert [(r["contacts"], r["people"]) for r in trend[-2:]] == [(1, 5), (4, 53)]


def test_page_every_figure_links_to_the_contact_list_behind_it(commander):
    data = small_unit()
    q = data["quarter"]
    response = commander.get("/en/dashboard/", {"quarter": q.key})
    fig = response.context["fig"]
    amina = next(r for r in fig.liaisons if r["name"] == "Amina Hassan")
    query = parse_qs(urlsplit(amina["url"]).query)
    assert urlsplit(amina["url"]).path == "/en/contacts/"
    assert query == {"quarter": [q.key], "liaison": [str(data["liaisons"][0].pk)]}
    # Following the link lists exactly the contacts counted.
    listed = commander.get(amina["url"]).context["page"].count
    assert listed == amina["contacts"]
    latino = next(r for r in fig.communities if r["community"].name == "Latino")
    assert commander.get(latino["url"]).context["page"].count == latino["contacts"]
    phone = next(r for r in fig.kinds if r["code"] == "phone_call")
    assert commander.get(phone["url"]).context["page"].count == phone["contacts"]
    spanish = next(r for r in fig.languages if r["code"] == "es")
    assert commander.get(spanish["url"]).context["page"].count == spanish["contacts"]
    assert commander.get(response.context["all_url"]).context["page"].count == fig.total_contacts


def test_page_community_filter_narrows_every_figure(commander):
    data = small_unit()
    bhutanese = data["communities"][0]
    response = commander.get("/en/dashboard/", {"quarter": data["quarter"].key, "community": bhutanese.pk})
    fig = response.context["fig"]
    assert fig.total_contacts == 2
    assert {r["name"]: r["contacts"] for r in fig.liaisons if r["contacts"]} == {"Amina Hassan": 2}
    assert [r["community"].name for r in fig.communities] == ["Bhutanese"]
    assert fig.gap == []
    assert f"community={bhutanese.pk}" in fig.liaisons[0]["url"]


def test_page_unit_filter_keeps_only_that_units_liaisons(commander):
    data = small_unit()
    fig = commander.get("/en/dashboard/", {"quarter": data["quarter"].key, "unit": "Zone 6"}).context["fig"]
    assert [r["name"] for r in fig.liaisons] == ["Luis Garcia"]
    assert fig.total_contacts == 2
    assert {r["community"].name: r["contacts"] for r in fig.communities}["Latino"] == 2


def test_page_defaults_to_the_current_quarter(commander):
    ContactFactory()
    response = commander.get("/en/dashboard/")
    assert response.context["quarter"] == Quarter.current()


def test_page_quarter_outside_the_records_shows_an_empty_state(commander):
    small_unit()
    for key in ["1999-Q1", Quarter.current().next().next().key]:
        response = commander.get("/en/dashboard/", {"quarter": key})
        assert response.status_code == 200
        assert response.context["outside"] is True
        assert "No records for" in response.content.decode()


def test_page_with_no_contacts_at_all_shows_an_empty_state(commander):
    response = commander.get("/en/dashboard/")
    assert response.status_code == 200
    assert "No contacts have been logged yet." in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"quarter": "last-year"},
        {"quarter": "2025-Q9"},
        {"unit": "Zone 99"},
        {"community": "999999"},
        {"community": "x"},
    ],
)
def test_page_unknown_filter_is_ignored_with_a_message(commander, params):
    data = small_unit()
    response = commander.get("/en/dashboard/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "was not understood, so it was ignored" in html
    assert response.context["quarter"] == Quarter.current()
    if "quarter" not in params:
        assert response.context["filters"].unit is None and response.context["filters"].community is None
    del data


def test_page_good_filters_still_apply_beside_a_bad_one(commander):
    data = small_unit()
    q = data["quarter"]
    response = commander.get("/en/dashboard/", {"quarter": q.key, "unit": "Nowhere"})
    assert response.context["quarter"] == q
    assert response.context["fig"].total_contacts == 4


def test_page_charts_get_their_data_from_json_script_and_no_inline_script(commander):
    data = small_unit()
    html = commander.get("/ar/dashboard/", {"quarter": data["quarter"].key}).content.decode()
    assert '<script id="dashboard-data" type="application/json">' in html
    assert '"rtl": true' in html
    inline = [
        s for s in re.findall(r"<script([^>]*)>", html) if "src=" not in s and "application/json" not in s
    ]
    assert inline == []
    assert "vendor/chart.js/chart.umd.min.js" in html
    assert 'style="' not in html


def test_page_has_a_table_for_every_chart(commander):
    data = small_unit()
    html = commander.get("/en/dashboard/", {"quarter": data["quarter"].key}).content.decode()
    charts = re.findall(r'data-chart="(\w+)"', html)
    assert charts == ["liaisons", "communities", "kinds", "languages", "trend", "surveys"]
    for name in ["liaison-table", "community-table", "kind-table", "language-table", "trend-table"]:
        assert name in html


def _count_queries(client, quarter):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/en/dashboard/", {"quarter": quarter.key})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_page_query_count_does_not_grow_with_rows(commander):
    q = last_quarter()
    small_unit(q)
    few = _count_queries(commander, q)
    communities = [CommunityFactory() for _ in range(6)]
    for i in range(8):
        liaison = LiaisonFactory(unit=f"Zone {i}")
        for j in range(5):
            contact(liaison, a_day_in(q, j), communities[j % 3 : j % 3 + 2], kind="event", language="ar")
            contact(liaison, a_day_in(q.previous(), j), communities[:1])
    for i in range(30):
        SurveyResponse.objects.create(
            source="pulse",
            language="ar",
            community=communities[i % 3],
            respect=1 + i % 5,
            would_contact=5,
            know_how=3,
            submitted_on=a_day_in(q, i % 5),
        )
    many = _count_queries(commander, q)
    assert many == few
    # 21 before concern figures were counted in SQL: three grouped queries (by category, by
    # community, in total) and the two name lists now replace one query that read every concern.
    # (SQLite's first run takes the medians in Python: one more query for each of the three.)
    from django.db import connection

    # Six more for "what people told us": survey answers and "was it resolved?" by community
    # for the quarter and by day for the trend, the community names, the comments to read.
    # Two more for engagement requests: open ones by status and urgency, and the quarter's rows.
    assert few <= (33 if connection.vendor == "postgresql" else 36)  # incl. the verified second factor
