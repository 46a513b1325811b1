"""A commander's quarter in a real browser: the coverage gap and liaisons' progress, other
quarters and communities, a figure followed to its records, both exports, and the Arabic page
right-to-left with charts that read from the right."""

import csv
import io

import openpyxl
import pytest

from liaison.quarters import Quarter
from tests.e2e.conftest import axe_violations, login
from tests.factories import CommunityFactory, ContactFactory, LiaisonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def unit(role_user):
    today = Quarter.current()
    bhutanese = CommunityFactory(name="Bhutanese", name_ar="البوتانيون", slug="bhutanese")
    latino = CommunityFactory(name="Latino", name_ar="اللاتينيون", slug="latino")
    CommunityFactory(name="Somali", name_ar="الصوماليون", slug="somali")  # nobody reached them
    amina = LiaisonFactory(user__first_name="Amina", user__last_name="Hassan", unit="Zone 3")
    luis = LiaisonFactory(user__first_name="Luis", user__last_name="Garcia", unit="Zone 6")
    for q, n in ((today, 3), (today.previous(), 5)):
        for _i in range(n):
            ContactFactory(liaison=amina, date=q.start, communities=[bhutanese], language="ne")
            ContactFactory(liaison=luis, date=q.start, communities=[latino], language="es", kind="phone_call")
        ContactFactory(
            liaison=luis, date=q.start, communities=[bhutanese, latino], language="ar", people_reached=30
        )
    role_user("Commander", username="ortiz")
    return {"bhutanese": bhutanese, "latino": latino, "amina": amina, "luis": luis}


def test_dashboard_commander_checks_the_quarter_and_downloads_both_exports(page, watch, unit):
    login(page, "ortiz")
    page.goto("/en/dashboard/")
    # The coverage gap comes first, then each liaison against target.
    gap = page.locator(".coverage-gap")
    assert "Somali" in gap.inner_text()
    assert gap.bounding_box()["y"] < page.locator("#per-liaison").bounding_box()["y"]
    rows = page.locator(".liaison-table tbody tr")
    assert rows.count() == 2
    assert "Amina Hassan" in rows.nth(0).inner_text()
    assert rows.nth(0).locator("td").nth(1).inner_text() == "3"
    assert page.locator("html").get_attribute("data-charts-ready") == "6"

    # Another quarter, then one community.
    last = Quarter.current().previous()
    page.select_option("#id_quarter", last.key)
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"**quarter={last.key}**")
    assert page.locator(".total-contacts").inner_text() == "11"
    page.select_option("#id_community", str(unit["bhutanese"].pk))
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"**community={unit['bhutanese'].pk}**")
    assert page.locator(".total-contacts").inner_text() == "6"
    assert page.locator(".community-table tbody tr").count() == 1

    # A figure leads to the records behind it.
    link = page.locator(".liaison-table tbody tr", has_text="Amina Hassan").locator("a")
    assert link.inner_text() == "5"
    link.click()
    page.wait_for_url("**/en/contacts/**")
    assert page.locator(".contact-list > li").count() == 5

    # Both exports download.
    page.go_back()
    with page.expect_download() as figures:
        page.get_by_role("link", name="Figures (CSV)").click()
    text = open(figures.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(text)))
    assert ["Contacts", "6", ""] in rows
    assert figures.value.suggested_filename == f"bridge-figures-{last.key}-bhutanese.csv"
    with page.expect_download() as contacts:
        page.get_by_role("button", name="Contacts (Excel)").click()
    assert contacts.value.suggested_filename.endswith(".xlsx")
    with open(contacts.value.path(), "rb") as f:
        sheet = openpyxl.load_workbook(io.BytesIO(f.read()), read_only=True).worksheets[0]
    assert len(list(sheet.iter_rows(values_only=True))) == 1 + 6
    assert watch.console_errors == []
    assert watch.foreign_requests == []


def test_dashboard_arabic_is_right_to_left_with_charts_that_read_from_the_right(page, watch, unit):
    login(page, "ortiz")
    page.goto("/ar/dashboard/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("data-charts-ready") == "6"
    assert "الصوماليون" in page.locator(".coverage-gap").inner_text()
    # The trend: the oldest quarter on the right, the newest on the left.
    trend = page.evaluate(
        """() => {
          const c = Chart.getChart(document.querySelector('canvas[data-chart=trend]'));
          const x = c.scales.x;
          return {first: x.getPixelForValue(0), last: x.getPixelForValue(c.data.labels.length - 1),
                  rtl: c.options.plugins.legend.rtl, yLeft: c.scales.y.left, width: c.width};
        }"""
    )
    assert trend["first"] > trend["last"]
    assert trend["rtl"] is True
    assert trend["yLeft"] > trend["width"] / 2  # the contacts axis on the reading side
    # Bars grow from the right, with their labels on the right.
    bars = page.evaluate(
        """() => {
          const c = Chart.getChart(document.querySelector('canvas[data-chart=communities]'));
          return {zero: c.scales.x.getPixelForValue(0), top: c.scales.x.getPixelForValue(c.scales.x.max),
                  labels: c.scales.y.left, width: c.width};
        }"""
    )
    assert bars["zero"] > bars["top"]
    assert bars["labels"] > bars["width"] / 2
    # The table says the same as the chart, in Arabic names.
    assert "البوتانيون" in page.locator(".community-table").inner_text()
    assert watch.console_errors == []
    assert watch.foreign_requests == []


def test_dashboard_prints_on_a4_and_letter_without_the_controls(page, unit):
    login(page, "ortiz")
    page.goto("/en/dashboard/")
    page.emulate_media(media="print")
    assert not page.locator(".dashboard-filters").is_visible()
    assert not page.locator(".exports").is_visible()
    assert page.locator(".liaison-table").is_visible()
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper, print_background=True)
        assert pdf.startswith(b"%PDF")
        assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type/Page") <= 6


# The printable width of each paper inside the 12 mm margins of dashboard.css, in CSS pixels
# (96 per inch): on paper nothing scrolls, so every column must fit in it.
PRINTABLE_PX = {"A4": round((210 - 24) / 25.4 * 96), "Letter": round((215.9 - 24) / 25.4 * 96)}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_dashboard_printed_every_table_fits_the_paper_width(page, unit, lang):
    login(page, "ortiz")
    page.emulate_media(media="print")
    for paper, width in PRINTABLE_PX.items():
        page.set_viewport_size({"width": width, "height": 1000})
        page.goto(f"/{lang}/dashboard/")
        outside = page.evaluate(
            """(width) => [...document.querySelectorAll('table')].filter(t => t.offsetParent).flatMap(t => {
                 const r = t.getBoundingClientRect();
                 return r.left < -1 || r.right > width + 1 ? [t.className + ': ' + Math.round(r.left) + '..' + Math.round(r.right)] : [];
               })""",
            width,
        )
        assert outside == [], f"{paper}: tables outside the paper's {width}px: {outside}"
        assert page.evaluate("document.documentElement.scrollWidth") <= width, paper


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_dashboard_on_a_phone_every_column_header_is_in_view_or_reached_by_keyboard(page, unit, lang):
    """At 375 px the page itself never scrolls sideways. A table wider than the screen scrolls
    in its own region: the region says so visibly, takes the keyboard focus, and the arrow keys
    bring each of its column headers into view."""
    login(page, "ortiz")
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"/{lang}/dashboard/")
    assert page.evaluate("document.documentElement.scrollWidth") == 375
    headers = page.locator(".dashboard table thead th")
    assert headers.count() >= 20
    forward = "ArrowLeft" if lang == "ar" else "ArrowRight"
    scrolled = 0
    for i in range(headers.count()):
        th = headers.nth(i)
        box = th.bounding_box()
        if box["x"] >= 0 and box["x"] + box["width"] <= 375 + 1:
            continue
        region = th.locator("xpath=ancestor::div[@role='region'][1]")
        assert region.get_attribute("tabindex") == "0", th.inner_text()
        assert region.evaluate(
            "r => !r.previousElementSibling.hidden && r.previousElementSibling.offsetHeight > 0"
        )
        region.focus()
        for _ in range(40):  # bounded: 40 presses of 40 px cover any of these tables
            box = th.bounding_box()
            if box["x"] >= 0 and box["x"] + box["width"] <= 375 + 1:
                break
            page.keyboard.press(forward)
        else:
            raise AssertionError(f"{th.inner_text()!r} never came into view")
        scrolled += 1
        region.evaluate("r => { r.scrollLeft = 0; }")
    assert scrolled > 0  # at this width at least one table does scroll: the test reached it


def test_dashboard_a_large_export_is_prepared_by_a_worker_and_downloaded_by_its_owner_only(
    browser, live_server, unit, settings, celery_worker, role_user
):
    """Above EXPORT_INLINE_ROWS the button leads to the job's page; the real Celery worker
    prepares the file, the page follows its progress and offers the link; nobody else gets it."""
    settings.EXPORT_INLINE_ROWS = 5  # this quarter holds 7 contacts
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, base_url=live_server.url, bypass_csp=True
    )
    page = context.new_page()
    login(page, "ortiz")
    page.goto("/en/dashboard/")
    page.get_by_role("button", name="Contacts (CSV)").click()
    page.wait_for_url("**/en/dashboard/exports/*/")
    assert page.locator("h1").inner_text() == "Contacts (CSV)"
    link = page.get_by_role("link", name="Download the CSV file")
    link.wait_for(timeout=30000)  # the page reloads itself once the worker is done
    assert "7 contacts." in page.locator(".export-status").inner_text()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    with page.expect_download() as download:
        link.click()
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    assert len(rows) == 1 + 7 and rows[0][0] == "Contact number"
    assert download.value.suggested_filename == f"bridge-contacts-{Quarter.current().key}.csv"
    job_url = page.url

    page.goto("/ar/dashboard/exports/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".export-jobs > li").count() == 1
    assert axe_violations(page) == []
    context.close()

    # Another commander, signed in on another device, gets nothing.
    role_user("Commander", username="reyes")
    other_context = browser.new_context(base_url=live_server.url)
    other = other_context.new_page()
    login(other, "reyes")
    assert other.goto(job_url).status == 404
    assert other.goto(job_url + "download").status == 404
    other_context.close()
