"""Exports: the quarter's figures and the contacts behind them, as CSV and Excel, streamed,
with no personal data of community members."""

import csv
import io

import openpyxl
import pytest
from django.http import FileResponse, StreamingHttpResponse

from liaison.models import Partner
from tests.factories import PartnerFactory

from .helpers import a_day_in, contact, small_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def commander(client, role_user):
    client.force_login(role_user("Commander"))
    return client


def _csv(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _xlsx(response):
    assert isinstance(response, FileResponse)
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)


def test_exports_figures_csv_has_every_table_of_the_page(commander):
    data = small_unit()
    q = data["quarter"]
    response = commander.get("/en/dashboard/export/figures.csv", {"quarter": q.key})
    assert response["Content-Disposition"] == f'attachment; filename="bridge-figures-{q.key}.csv"'
    rows = _csv(response)
    titles = [r[0] for r in rows if len(r) == 1 and r[0]]
    assert titles[:2] == ["Summary", "Coverage gap: priority communities with no contact"]
    assert "Contacts per liaison" in titles and "Trend: last eight quarters" in titles
    assert ["Amina Hassan", "Zone 3", "2", "36", "6", "50"] in rows
    assert ["Somali"] in rows
    assert ["Contacts", "4", ""] in rows


@pytest.mark.parametrize("lang", ["en", "fr", "ar", "my", "pt-br"])
def test_exports_sheet_names_fit_excel_without_cutting_a_word(commander, lang):
    from django.utils import translation

    from dashboard.exports import _sheet_name

    data = small_unit()
    wb = _xlsx(commander.get(f"/{lang}/dashboard/export/figures.xlsx", {"quarter": data["quarter"].key}))
    assert all(len(name) <= 31 for name in wb.sheetnames)
    assert len({n.lower() for n in wb.sheetnames}) == len(wb.sheetnames)
    with translation.override(lang):
        title = translation.gettext("Concerns with no response after %(days)s days") % {"days": 14}
    used: set = set()
    name = _sheet_name(title, used)
    words = title.replace(":", "").split()
    assert name.split() == words[: len(name.split())], "a word was cut"
    assert _sheet_name(title, used) != name and len(_sheet_name(title, used)) <= 31


def test_exports_figures_xlsx_has_a_sheet_per_table(commander):
    data = small_unit()
    wb = _xlsx(commander.get("/en/dashboard/export/figures.xlsx", {"quarter": data["quarter"].key}))
    assert "Summary" in wb.sheetnames
    sheet = wb[next(n for n in wb.sheetnames if n.startswith("Contacts per liaison"))]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert ["Luis Garcia", "Zone 6", 2, 36, 6, 3] in values


def test_exports_contacts_csv_lists_the_quarters_contacts_without_personal_data(commander):
    data = small_unit()
    q = data["quarter"]
    amina = data["liaisons"][0]
    leader = PartnerFactory(name="Pastor Example Person", kind=Partner.Kind.LEADER, phone="+1 555 0199")
    contact(
        amina,
        a_day_in(q, 9),
        data["communities"][:1],
        partner=leader,
        notes="Met Mrs Private Person at her home",
        interpreter_used=True,
        interpreter_detail="Her neighbour Private Helper",
    )
    rows = _csv(commander.get("/en/dashboard/export/contacts.csv", {"quarter": q.key}))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Contact number", "Date", "Quarter"]
    assert len(body) == 5
    assert {r[2] for r in body} == {q.key}
    text = "\n".join(",".join(r) for r in rows)
    for private in ["Private Person", "Private Helper", "Pastor Example Person", "555 0199"]:
        assert private not in text
    assert "Informal leader" in text
    assert "Bhutanese; Latino" in text


def test_exports_contacts_follow_the_community_filter(commander):
    data = small_unit()
    bhutanese = data["communities"][0]
    rows = _csv(
        commander.get(
            "/en/dashboard/export/contacts.csv", {"quarter": data["quarter"].key, "community": bhutanese.pk}
        )
    )
    assert len(rows) - 1 == 2


def test_exports_every_contact_with_scope_all(commander):
    small_unit()
    rows = _csv(commander.get("/en/dashboard/export/contacts.csv", {"scope": "all"}))
    assert len(rows) - 1 == 5


def test_exports_contacts_xlsx_matches_the_csv(commander):
    data = small_unit()
    params = {"quarter": data["quarter"].key}
    wb = _xlsx(commander.get("/en/dashboard/export/contacts.xlsx", params))
    sheet = wb[wb.sheetnames[0]]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert len(values) == 1 + 4
    assert values[0][0] == "Contact number"


def test_exports_a_name_that_looks_like_a_formula_is_not_run(commander):
    data = small_unit()
    data["communities"][0].__class__.objects.filter(pk=data["communities"][0].pk).update(
        name="=HYPERLINK(1)", name_en="=HYPERLINK(1)"
    )
    rows = _csv(commander.get("/en/dashboard/export/contacts.csv", {"quarter": data["quarter"].key}))
    assert any("'=HYPERLINK(1)" in cell for r in rows for cell in r)
