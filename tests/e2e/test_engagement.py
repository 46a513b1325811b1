"""A commander asks the liaison unit to engage a community from a phone; the coordinator
assigns the liaison Bridge suggests."""

import datetime as dt

import pytest

from engagement.models import EngagementRequest
from liaison.models import Assignment, LanguageSkill
from messaging.models import Message
from tests.e2e.conftest import axe_violations, login, phone_context
from tests.factories import CommunityFactory, LiaisonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def unit(role_user):
    east_asian = CommunityFactory(
        name="East Asian", name_en="East Asian", slug="east-asian", languages=["zh"]
    )
    CommunityFactory(name="Latino", name_en="Latino", slug="latino", languages=["es"])
    wei = LiaisonFactory(user__username="wei", user__first_name="Wei", user__last_name="Zhang")
    LanguageSkill.objects.create(liaison=wei, language="zh", proficiency=1)
    Assignment.objects.create(liaison=wei, community=east_asian, starts_on=dt.date(2024, 1, 1))
    luis = LiaisonFactory(user__username="luis", user__first_name="Luis", user__last_name="Garcia")
    LanguageSkill.objects.create(liaison=luis, language="es", proficiency=1)
    role_user("Commander", username="boss", first_name="Daniel", last_name="Ortiz")
    role_user("Coordinator", username="coord", first_name="Mei", last_name="Chen")
    return {"wei": wei, "luis": luis}


def test_engagement_commander_raises_a_request_on_a_phone_and_the_coordinator_assigns_it(
    browser, live_server, unit
):
    context = phone_context(browser, live_server.url, bypass_csp=True)
    phone = context.new_page()
    login(phone, "boss")
    phone.goto("/en/requests/new/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe_violations(phone) == []
    # Sending it empty explains what is missing, at the top, and keeps what was written.
    phone.fill("#id_place", "40 Murray Avenue")
    phone.get_by_role("button", name="Send the request").click()
    summary = phone.locator("#error-summary")
    assert "Choose at least one community concerned." in summary.inner_text()
    assert phone.locator("#id_place").input_value() == "40 Murray Avenue"
    phone.fill("#id_subject", "Robberies in the lobby of 40 Murray Avenue")
    phone.get_by_label("East Asian").check()
    phone.get_by_label("Chinese").check()
    phone.get_by_label("Urgent: this week").check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_role("button", name="Send the request").click()
    phone.wait_for_url("**/requests/*/")
    assert "Your request was sent to the liaison unit." in phone.locator("main").inner_text()
    assert axe_violations(phone) == []
    phone.goto("/en/requests/")
    assert "Robberies in the lobby of 40 Murray Avenue" in phone.locator(".request-list").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()

    req = EngagementRequest.objects.get()
    assert req.languages == ["zh"] and req.urgency == 1
    context = phone_context(browser, live_server.url, bypass_csp=True)
    page = context.new_page()
    login(page, "coord")
    page.goto(f"/en/requests/{req.pk}/")
    page.get_by_role("link", name="Choose liaisons").click()
    first = page.locator(".suggestion").first
    assert "Wei Zhang" in first.inner_text() and "Speaks Chinese (native)" in first.inner_text()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    first.get_by_label("Wei Zhang").check()
    page.get_by_role("button", name="Save the assignment").click()
    page.wait_for_url(f"**/requests/{req.pk}/")
    assert "Wei Zhang" in page.locator(".assigned-liaisons").inner_text()
    assert page.locator("#current-status").inner_text() == "Assigned"
    context.close()
    assert Message.objects.filter(key=f"engagement:{req.pk}:assigned:{unit['wei'].pk}").count() == 1
