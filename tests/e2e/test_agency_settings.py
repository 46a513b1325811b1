"""In a real browser, on a 375-pixel phone: a coordinator renames the agency and stops offering
Spanish; the header shows the new name, the language menu loses Spanish, and the settings page
passes axe in English and in Arabic, where
the example SMS number keeps its plus sign left of the digits."""

import pytest
from django.core.cache import cache

from tests.e2e.conftest import axe_violations, login, phone_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide"


def test_coordinator_changes_the_agency_settings_on_a_phone(browser, live_server, role_user):
    role_user("Coordinator", username="mei")
    context = phone_context(browser, live_server.url, bypass_csp=True)
    page = context.new_page()
    login(page, "mei")
    page.goto("/en/staff/agency/")
    _no_sideways_scroll(page)
    assert axe_violations(page) == []

    # Bad input first: said beside the field, and the name typed stays.
    page.fill("#id_name", "Storm Lake Police Liaison")
    page.fill("#id_submit_rate", "five an hour")
    page.locator(".agency-settings-form button[type=submit]").click()
    assert "for example 5/h" in page.locator("#error-summary").inner_text()
    assert page.locator("#id_name").input_value() == "Storm Lake Police Liaison"
    assert axe_violations(page) == []

    page.fill("#id_submit_rate", "")
    page.locator("input[name=languages][value=es]").uncheck()
    page.locator(".agency-settings-form button[type=submit]").click()
    page.wait_for_url("**/en/staff/agency/")
    assert "saved" in page.locator("main .alert").inner_text()
    assert page.locator(".site-header .agency-name").inner_text() == "Storm Lake Police Liaison"
    assert page.locator("#language-select option[value=es]").count() == 0
    assert page.locator("#language-select option[value=ar]").count() == 1

    page.goto("/ar/staff/agency/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    _no_sideways_scroll(page)
    # The example number reads "+1412...", the plus sign drawn left of the digits, inside the
    # right-to-left sentence.
    plus_left, one_left = page.evaluate(
        """() => {
          const walk = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
          while (walk.nextNode() && !walk.currentNode.data.includes('+14125550100')) {}
          const text = walk.currentNode, at = text.data.indexOf('+14125550100');
          const left = i => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
                              return r.getBoundingClientRect().left; };
          return [left(at), left(at + 1)];
        }"""
    )
    assert plus_left < one_left, (plus_left, one_left)
    assert axe_violations(page) == []
    page.goto("/es/")
    page.wait_for_url("**/en/")
    context.close()
