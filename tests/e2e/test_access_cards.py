"""Language-access cards: a sheet of eight printed on one page, each QR code leading to the
trust pulse in the card's language (decoded with zxing-cpp), right to left in Arabic, usable
on a phone."""

import io

import pytest
import zxingcpp
from django.conf import settings
from PIL import Image
from pypdf import PdfReader

from tests.e2e.conftest import axe_violations, phone_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _decode(png: bytes) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


@pytest.mark.parametrize("lang", ["ar", "so", "ur"])
def test_access_cards_print_on_one_page_and_lead_to_the_pulse(browser, live_server, watch, lang, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    watch.attach(page)
    page.goto(f"/{lang}/survey/card/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang in ("ar", "ur") else "ltr")
    cards = page.locator(".access-card")
    assert cards.count() == 8
    pulse = f"{settings.SITE_URL}/{lang}/survey/"
    assert _decode(cards.nth(0).locator(".flyer-qr-image").screenshot()) == [pulse]
    assert settings.EMERGENCY_NUMBER in cards.nth(7).inner_text()
    page.emulate_media(media="print")
    for paper in ("a4", "letter"):
        page.goto(f"/{lang}/survey/card/?paper={paper}")
        path = tmp_path / f"cards-{paper}.pdf"
        page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
        assert len(PdfReader(path).pages) == 1, paper
    page.screenshot(path=f"/tmp/cards-{lang}.png", full_page=True)
    assert watch.console_errors == [] and watch.foreign_requests == []
    context.close()


def test_access_cards_on_a_phone(browser, live_server):
    context = phone_context(browser, live_server.url, bypass_csp=True)
    page = context.new_page()
    page.goto("/ar/survey/card/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(page, impacts=("moderate", "serious", "critical")) == []
    page.screenshot(path="/tmp/cards-ar-375.png", full_page=True)
    context.close()
