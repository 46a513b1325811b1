"""In a real browser: a community member reads a policy page in Arabic and in Somali on a
375-pixel phone and goes to its previous version; a coordinator publishes a new version."""

import datetime as dt

import pytest
from django.core.cache import cache

from policies import services
from policies.models import PolicyVersion
from tests.e2e.conftest import axe_violations, login, phone_context

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def confidentiality(role_user):
    coordinator = role_user("Coordinator", username="mei")
    policy = services.policy_create(
        actor=coordinator,
        kind="confidentiality",
        slug="confidentiality",
        title={"en": "Confidentiality policy", "ar": "سياسة السرية"},
        summary={"en": "We never ask about immigration status.", "ar": "لا نسأل أبداً عن وضع الهجرة."},
        body={"en": "First version.\n\nWe do not ask.", "ar": "النسخة الأولى.\n\nنحن لا نسأل."},
        effective_on=dt.date(2026, 1, 15),
    )
    services.policy_version_publish(
        actor=coordinator,
        policy=policy,
        title={"en": "Confidentiality policy", "ar": "سياسة السرية"},
        summary={"en": "We never ask about immigration status.", "ar": "لا نسأل أبداً عن وضع الهجرة."},
        body={"en": "Second version.\n\nWe never ask, and we record nothing.", "ar": "النسخة الثانية."},
        effective_on=dt.date(2026, 6, 1),
        change_note="Says that nothing is recorded",
    )
    return policy


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide"


def test_policy_page_in_arabic_and_somali_on_a_phone_with_its_previous_version(
    browser, live_server, confidentiality
):
    context = phone_context(browser, live_server.url, bypass_csp=True)
    page = context.new_page()
    page.goto("/ar/")
    page.locator("main a[href='/ar/policies/']").click()
    page.wait_for_url("**/ar/policies/")
    page.get_by_role("link", name="سياسة السرية").click()
    page.wait_for_url("**/ar/policies/confidentiality/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".policy-body").inner_text().strip() == "النسخة الثانية."
    assert page.locator(".policy-body").get_attribute("lang") is None  # Arabic: no fallback
    _no_sideways_scroll(page)
    assert axe_violations(page) == []
    page.locator(".policy-versions a").first.click()
    page.wait_for_url("**/ar/policies/confidentiality/v1/")
    assert page.locator(".policy-earlier").is_visible()
    assert "النسخة الأولى." in page.locator(".policy-body").inner_text()
    _no_sideways_scroll(page)
    assert axe_violations(page) == []
    page.locator(".policy-earlier a").click()
    page.wait_for_url("**/ar/policies/confidentiality/")

    page.goto("/so/policies/confidentiality/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    body = page.locator(".policy-body")
    assert body.get_attribute("lang") == "en" and "Second version." in body.inner_text()
    assert page.locator("#fallback-note").is_visible()  # not yet in Somali, and it says so
    _no_sideways_scroll(page)
    assert axe_violations(page) == []
    page.goto("/so/policies/confidentiality/v1/")
    assert "First version." in page.locator(".policy-body").inner_text()
    _no_sideways_scroll(page)
    assert axe_violations(page) == []
    # Printed: no menu or footer, the address it came from.
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden() and page.locator(".site-footer").is_hidden()
    assert "/so/policies/confidentiality/v1/" in page.locator(".policy-print-address").inner_text()
    context.close()


def test_coordinator_publishes_a_new_version_on_the_staff_page(page, watch, confidentiality):
    login(page, "mei")
    page.goto("/en/staff/policies/")
    page.locator(f"a[href='/en/staff/policies/{confidentiality.pk}/publish/']").click()
    page.wait_for_url(f"**/en/staff/policies/{confidentiality.pk}/publish/")
    assert page.locator("#id_title_en").input_value() == "Confidentiality policy"
    # Bad input first: the summary says so and the text typed stays.
    page.fill("#id_body_en", "Third version.\n\nEven clearer.")
    page.fill("#id_title_en", "")
    page.get_by_role("button", name="Publish").click()
    assert page.locator("#error-summary").is_visible()
    assert page.locator("#id_body_en").input_value() == "Third version.\n\nEven clearer."
    page.fill("#id_title_en", "Confidentiality policy")
    # The other languages start folded: the coordinator opens Arabic to change it.
    assert not page.locator("#id_body_ar").is_visible()
    page.locator("button[aria-controls='translation-ar']").click()
    page.fill("#id_body_ar", "النسخة الثالثة.")
    page.fill("#id_change_note", "Clearer wording")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/en/policies/confidentiality/")
    assert "Version 3, in effect from" in page.locator(".policy-version").inner_text()
    assert page.locator(".policy-body p").first.inner_text() == "Third version."
    assert PolicyVersion.objects.get(policy=confidentiality, number=3).body_ar == "النسخة الثالثة."
    assert watch.console_errors == []
