import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_home_english_lists_every_public_address_with_no_foreign_requests(page, watch):
    page.goto("/en/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.get_by_text("In an emergency, call 911.").is_visible()
    assert page.get_by_text("We never ask about immigration status.").first.is_visible()
    hrefs = page.locator("main a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    for address in [
        "/en/concerns/new/",
        "/en/concerns/track/",
        "/en/events/",
        "/en/liaisons/",
        "/en/subscribe/",
        "/en/you-said-we-did/",
    ]:
        assert address in hrefs
    # The stylesheet really loaded from this server: Bootstrap's container is centred.
    assert page.locator("main.container").evaluate("e => getComputedStyle(e).marginLeft") != "0px"
    assert watch.console_errors == []
    assert watch.foreign_requests == []


def test_home_switch_to_arabic_is_right_to_left_and_stays_on_the_same_page(page, watch):
    page.goto("/en/privacy/")
    page.locator("#language-select").select_option("ar")
    page.locator(".language-go").click()
    page.wait_for_url("**/ar/privacy/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    sheets = page.locator("link[rel=stylesheet]").evaluate_all("els => els.map(e => e.href)")
    assert any("bootstrap.rtl.min.css" in s for s in sheets)
    # Right-to-left for real: the brand sits on the right of the header.
    box = page.locator(".navbar-brand").bounding_box()
    assert box["x"] > 640
    page.locator("#language-select").select_option(label="Español")
    page.locator(".language-go").click()
    page.wait_for_url("**/es/privacy/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert "911" in page.locator(".emergency-banner").inner_text()
    assert watch.console_errors == []
    assert watch.foreign_requests == []


def test_home_skip_link_moves_focus_to_main(page):
    page.goto("/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
