"""The printable flyer in a real browser, in Arabic (right to left) and Spanish: printed to PDF
on A4 and US Letter it is one page of the paper asked for, its QR code decodes (zxing-cpp)
to the event's page in the flyer's language, the print button prints, and on a 375-pixel
phone it does not scroll sideways and has no accessibility violation (axe: moderate and up).

The PDFs and screenshots are kept under /tmp/flyer/ to be looked at."""

import datetime as dt
import io
from pathlib import Path

import pytest
import zxingcpp
from django.conf import settings
from PIL import Image
from pypdf import PdfReader

from tests.e2e.conftest import axe_violations, phone_context
from tests.factories import OutreachEventFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OUT = Path("/tmp/flyer")
# PDF points (1/72 inch): what each paper's page measures.
PAPERS = {"a4": ("A4", (595, 842)), "letter": ("Letter", (612, 792))}
TITLES = {"ar": "لقاء مع ضباط الارتباط في الحي", "es": "Encuentro con los oficiales de enlace del barrio"}


@pytest.fixture
def event():
    return OutreachEventFactory(
        status="published",
        title_en="Meet the neighbourhood liaison officers",
        title_es=TITLES["es"],
        title_ar=TITLES["ar"],
        description_en="Tea, questions and answers with the officers who work with your community.",
        description_es=(
            "Té, preguntas y respuestas con los oficiales que trabajan con su comunidad. Traiga a su "
            "familia y a sus vecinos: hablaremos de la seguridad en el barrio, de cómo presentar una "
            "inquietud y de lo que hicimos con lo que nos dijeron la última vez."
        ),
        description_ar=(
            "شاي وأسئلة وأجوبة مع الضباط الذين يعملون مع مجتمعكم. أحضروا عائلاتكم وجيرانكم: سنتحدث عن "
            "الأمان في الحي، وكيفية تقديم شكوى، وما فعلناه بما قلتموه لنا في المرة الماضية."
        ),
        venue_directions_en="Main entrance on Brownsville Road, community room on the ground floor. Bus 51.",
        interpretation_languages=["es", "ar", "so", "ne"],
        # The longest flyer: three dates and "every month" still fit on one page.
        recurrence="monthly",
        repeat_until=dt.date.today() + dt.timedelta(days=120),
    )


def _event_page(event, lang: str) -> str:
    return f"{settings.SITE_URL}/{lang}/events/{event.pk}/"


def _decode(png: bytes) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


@pytest.mark.parametrize("lang", ["ar", "es"])
def test_flyer_prints_on_one_page_of_a4_and_letter_with_a_qr_code_to_the_event(
    browser, live_server, watch, event, lang
):
    OUT.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    watch.attach(page)
    page.goto(f"/{lang}/events/{event.pk}/flyer/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("h1").inner_text() == TITLES[lang]
    assert settings.EMERGENCY_NUMBER in page.locator(".flyer-emergency").inner_text()

    # The QR code, as the screen shows it, leads to the event's page in this language.
    assert _decode(page.locator(".flyer-qr-image").screenshot()) == [_event_page(event, lang)]
    assert page.locator(".flyer-url").inner_text() == _event_page(event, lang)

    # The button prints (static/js/flyer.js; the CSP would block an inline handler).
    page.evaluate("() => { window.print = () => { window.flyerPrinted = true; }; }")
    page.locator("[data-flyer-print]").click()
    assert page.evaluate("window.flyerPrinted") is True

    page.emulate_media(media="print")
    assert not page.locator(".flyer-toolbar").is_visible()
    for paper, (fmt, size) in PAPERS.items():
        page.goto(f"/{lang}/events/{event.pk}/flyer/?paper={paper}")
        path = OUT / f"flyer-{lang}-{paper}.pdf"
        # The flyer's own @page size wins over the format: the PDF's page size proves it.
        page.pdf(path=str(path), format=fmt, prefer_css_page_size=True, print_background=True)
        pages = PdfReader(path).pages
        assert len(pages) == 1, f"{lang} {paper}: {len(pages)} pages"
        box = pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == size, paper

    # What the printed A4 page looks like (210 mm less 2 x 15 mm of margin, 96 px an inch),
    # and its QR code as printed decodes too.
    page.set_viewport_size({"width": round(180 / 25.4 * 96), "height": round(267 / 25.4 * 96)})
    page.goto(f"/{lang}/events/{event.pk}/flyer/")
    page.screenshot(path=str(OUT / f"flyer-{lang}-a4.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollHeight") <= round(267 / 25.4 * 96)
    assert _decode(page.locator(".flyer-qr-image").screenshot()) == [_event_page(event, lang)]
    assert watch.console_errors == []
    assert watch.foreign_requests == []
    context.close()


@pytest.mark.parametrize("lang", ["ar", "es"])
def test_flyer_on_a_phone_does_not_scroll_sideways_and_passes_axe(browser, live_server, event, lang):
    OUT.mkdir(parents=True, exist_ok=True)
    context = phone_context(browser, live_server.url, bypass_csp=True)
    page = context.new_page()
    page.goto(f"/{lang}/events/{event.pk}/flyer/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide"
    assert axe_violations(page, impacts=("moderate", "serious", "critical")) == []
    page.screenshot(path=str(OUT / f"flyer-{lang}-375.png"), full_page=True)
    assert _decode(page.locator(".flyer-qr-image").screenshot()) == [_event_page(event, lang)]
    # Another language of the event, from the toolbar: the same flyer, its own QR code.
    page.locator(".flyer-toolbar a[hreflang=so]").click()
    page.wait_for_url(f"**/so/events/{event.pk}/flyer/")
    assert _decode(page.locator(".flyer-qr-image").screenshot()) == [_event_page(event, "so")]
    context.close()

    wide = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url, bypass_csp=True
    )
    page = wide.new_page()
    page.goto(f"/{lang}/events/{event.pk}/flyer/?paper=letter")
    assert axe_violations(page, impacts=("moderate", "serious", "critical")) == []
    wide.close()
