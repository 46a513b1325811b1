"""What people told us, on the dashboard: per community and quarter, shown only from ten
answers; the figures equal a recount of the rows."""

import datetime as dt

import pytest
from django.utils import timezone

from feedback.models import Concern, FollowUp
from languages.formatting import format_percent
from surveys.models import SurveyResponse
from tests.factories import CommunityFactory, ConcernFactory

from .helpers import a_day_in, last_quarter, small_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def commander(client, role_user):
    client.force_login(role_user("Commander"))
    return client


def _answers(community, day, n, *, respect_agree):
    for i in range(n):
        SurveyResponse.objects.create(
            source="pulse",
            language="en",
            community=community,
            respect=5 if i < respect_agree else 2,
            would_contact=4,
            know_how=1,
            submitted_on=day,
        )


def _followups(community, moment, n, *, resolved):
    for i in range(n):
        concern = ConcernFactory(community=community, status=Concern.Status.ACTION_TAKEN)
        FollowUp.objects.create(concern=concern, answered_at=moment, resolved=i < resolved)


def _rows(html: str, css: str) -> list[str]:
    table = html.split(f'class="table table-sm figure-table {css}"')[1].split("</table>")[0]
    return [row for row in table.split("<tr")[2:]]


def test_dashboard_hides_survey_groups_under_ten_answers(commander):
    q = last_quarter()
    small_unit(q)  # contacts in the quarter: the dashboard shows it
    big, small = CommunityFactory(name_en="Somali"), CommunityFactory(name_en="Nepali")
    _answers(big, a_day_in(q, 3), 12, respect_agree=9)
    _answers(small, a_day_in(q, 4), 9, respect_agree=9)
    moment = timezone.make_aware(dt.datetime.combine(a_day_in(q, 5), dt.time(12)))
    _followups(big, moment, 10, resolved=7)
    _followups(small, moment, 3, resolved=3)
    html = commander.get("/en/dashboard/", {"quarter": q.key}).content.decode()
    rows = {
        ("Somali" if "Somali" in r else "Nepali" if "Nepali" in r else "Total"): r
        for r in _rows(html, "survey-table")
    }
    # 9 of 12 agreed they were treated with respect; 12 of 12 would contact; none know how.
    assert "75%" in rows["Somali"] and "100%" in rows["Somali"] and "0%" in rows["Somali"]
    assert "70%" in rows["Somali"]  # 7 of 10 said it was resolved
    assert "too few answers to show" in rows["Nepali"] and "%" not in rows["Nepali"]
    # The total holds 21 answers: 18 of 21 agreed on respect (86 %), 10 of 13 resolved (77 %).
    assert "86%" in rows["Total"] and "77%" in rows["Total"]
    # Recount from the raw rows.
    assert SurveyResponse.objects.filter(community=big, respect__gte=4).count() == 9


def test_dashboard_survey_trend_hides_quarters_under_ten(commander):
    q = last_quarter()
    small_unit(q)  # contacts in the quarter: the dashboard shows it
    community = CommunityFactory()
    _answers(community, a_day_in(q, 1), 10, respect_agree=5)
    _answers(community, a_day_in(q.previous(), 1), 4, respect_agree=4)
    html = commander.get("/en/dashboard/", {"quarter": q.key}).content.decode()
    trend = _rows(html, "survey-trend-table")
    this = next(r for r in trend if str(q) in r)
    before = next(r for r in trend if str(q.previous()) in r)
    assert "50%" in this
    assert "too few answers to show" in before


def test_dashboard_survey_section_in_arabic_formats_percentages(commander):
    q = last_quarter()
    small_unit(q)  # contacts in the quarter: the dashboard shows it
    _answers(CommunityFactory(), a_day_in(q, 1), 10, respect_agree=10)
    html = commander.get("/ar/dashboard/", {"quarter": q.key}).content.decode()
    assert "survey-table" in html
    assert format_percent(1, "ar") in html  # 100 %, written as Arabic writes it


def test_dashboard_export_has_the_survey_table_with_small_groups_hidden(commander):
    import csv
    import io

    q = last_quarter()
    small_unit(q)
    big, small = CommunityFactory(name_en="Somali"), CommunityFactory(name_en="Nepali")
    _answers(big, a_day_in(q, 3), 10, respect_agree=10)
    _answers(small, a_day_in(q, 3), 2, respect_agree=2)
    response = commander.get("/en/dashboard/export/figures.csv", {"quarter": q.key})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert ["What people told us, by community"] in rows
    assert ["Somali", "10", "100", "100", "0", "0", "too few answers to show"] in rows
    assert ["Nepali", "2", *["too few answers to show"] * 3, "0", "too few answers to show"] in rows
