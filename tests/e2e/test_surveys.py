"""In a real browser on a 375-pixel phone: the anonymous survey after a meeting (reached from
the event page its flyer's QR code opens) and the trust pulse from the home page, in Arabic and
Spanish, keyboard-usable, with no serious accessibility violation and no sideways scrolling;
"was it resolved?" answered from its link."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from feedback.models import Concern, FollowUp
from surveys.models import SurveyResponse
from tests.e2e.conftest import axe_violations, phone_context
from tests.factories import CommunityFactory, ConcernFactory, OutreachEventFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide"


def test_event_survey_on_a_phone_in_arabic(browser, live_server):
    start = timezone.now() - dt.timedelta(hours=2)
    event = OutreachEventFactory(
        status="published", start=start, end=start + dt.timedelta(hours=1), title_ar="لقاء مع الشرطة"
    )
    community = CommunityFactory(name_en="Somali", name_ar="الصومالية")
    context = phone_context(browser, live_server.url, bypass_csp=True)
    page = context.new_page()
    page.goto(f"/ar/events/{event.pk}/")
    page.locator(".event-survey-card a").click()
    page.wait_for_url(f"**/ar/events/{event.pk}/survey/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert "911" in page.locator(".not-emergency").inner_text()
    _no_sideways_scroll(page)
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/survey-ar-375.png", full_page=True)

    # Sending it empty: a message for each statement, in Arabic, and nothing stored.
    page.locator(".survey-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    assert not SurveyResponse.objects.exists()
    assert axe_violations(page) == []

    # By keyboard: each statement's radio group takes arrow keys.
    for name, choice in (("respect", "5"), ("would_contact", "4"), ("know_how", "2")):
        page.locator(f"input[name={name}][value='{choice}']").focus()
        page.keyboard.press("Space")
    page.select_option("#id_community", str(community.pk))
    page.fill("#id_comment", "شكراً على الاجتماع")
    page.locator(".survey-form button[type=submit]").press("Enter")
    page.wait_for_url("**/ar/survey/thanks/")
    _no_sideways_scroll(page)
    answer = SurveyResponse.objects.get()
    assert (answer.event_id, answer.community, answer.language) == (event.pk, community, "ar")
    assert (answer.respect, answer.would_contact, answer.know_how) == (5, 4, 2)
    assert answer.comment == "شكراً على الاجتماع"
    context.close()


def test_trust_pulse_from_the_home_page_on_a_phone_in_spanish(browser, live_server):
    context = phone_context(browser, live_server.url, bypass_csp=True)
    page = context.new_page()
    page.goto("/es/")
    page.locator("a[href='/es/survey/']").click()
    page.wait_for_url("**/es/survey/")
    _no_sideways_scroll(page)
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/survey-es-375.png", full_page=True)
    for name in ("respect", "would_contact", "know_how"):
        page.locator(f"input[name={name}][value='3']").check()
    page.locator(".survey-form button[type=submit]").click()
    page.wait_for_url("**/es/survey/thanks/")
    assert axe_violations(page) == []
    assert SurveyResponse.objects.get().source == "pulse"
    context.close()


def test_was_it_resolved_answered_on_a_phone(browser, live_server):
    concern = ConcernFactory(
        language="es", contact_method="email", email="ana@example.org", status=Concern.Status.ACTION_TAKEN
    )
    followup = FollowUp.objects.create(concern=concern)
    context = phone_context(browser, live_server.url, bypass_csp=True)
    page = context.new_page()
    page.goto(f"/es/concerns/followup/{followup.token}/")
    _no_sideways_scroll(page)
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/followup-es-375.png", full_page=True)
    page.locator("input[name=resolved][value=no]").check()
    page.fill("#id_comment", "Todavía pasa cada mañana.")
    page.locator(".followup-form button[type=submit]").click()
    page.wait_for_load_state()
    assert axe_violations(page) == []
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_REVIEW
    context.close()
