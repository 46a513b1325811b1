"""The API's pages in a real browser: the documentation (Swagger UI from npm under the strict
CSP) and the tokens page, at 375 px, in English and Arabic, with axe; a token made on the
page works against the API and stops once revoked."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SIDEWAYS = "document.documentElement.scrollWidth > document.documentElement.clientWidth"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_docs_page_draws_the_reference_under_the_csp_accessible_on_a_phone(browser, live_server, lang):
    strict = browser.new_context(viewport={"width": 375, "height": 800}, base_url=live_server.url)
    page = strict.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"/{lang}/api/docs/")
    expect(page.locator("#operations-Open311-open311_services")).to_be_visible()
    assert problems == []  # nothing the Content-Security-Policy refused
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    strict.close()
    context = browser.new_context(
        viewport={"width": 375, "height": 800}, base_url=live_server.url, bypass_csp=True
    )
    page = context.new_page()
    page.goto(f"/{lang}/api/docs/")
    page.locator("#operations-Open311-open311_request_create .opblock-summary-control").click()
    expect(page.locator("#operations-Open311-open311_request_create .opblock-body")).to_be_visible()
    assert axe_violations(page) == []
    assert not page.evaluate(SIDEWAYS)
    context.close()


def test_a_commander_makes_uses_and_revokes_a_token_in_arabic(browser, live_server, role_user):
    role_user("Commander", username="malik")
    context = browser.new_context(
        viewport={"width": 375, "height": 800}, base_url=live_server.url, bypass_csp=True
    )
    page = context.new_page()
    login(page, "malik", lang="ar")  # the code just entered counts as fresh for five minutes
    page.goto("/ar/accounts/api-tokens/")
    assert axe_violations(page) == [] and not page.evaluate(SIDEWAYS)
    page.fill("#id_name", "Precinct sheet")
    page.check("input[name=scopes][value='figures:read']")
    page.select_option("#id_days", "30")
    page.locator("#token-form button[type=submit]").press("Enter")
    secret = page.locator("#new-token").input_value()
    assert secret.startswith("bridge_")
    assert axe_violations(page) == [] and not page.evaluate(SIDEWAYS)
    api = page.request
    figures = api.get(
        "/api/v1/figures/", headers={"Authorization": f"Bearer {secret}", "Accept-Language": "ar"}
    )
    assert figures.status == 200 and figures.json()["quarter"]
    page.locator("main a.btn-primary[href$='/accounts/api-tokens/']").click()
    row = page.locator("#own-tokens tbody tr").filter(has_text="Precinct sheet")
    expect(row).to_be_visible()
    row.locator("button[type=submit]").press("Enter")
    expect(
        page.locator("#own-tokens tbody tr").filter(has_text="Precinct sheet").locator("button")
    ).to_have_count(0)
    refused = api.get(
        "/api/v1/figures/", headers={"Authorization": f"Bearer {secret}", "Accept-Language": "ar"}
    )
    assert refused.status == 401 and refused.json()["error"]["code"] == "token_revoked"
    assert refused.json()["error"]["locale"] == "ar"
    # With a token listed, the table scrolls in its own box; the page never scrolls sideways.
    page.goto("/en/accounts/api-tokens/")
    expect(page.locator("#own-tokens")).to_be_visible()
    assert not page.evaluate(SIDEWAYS)
    context.close()
