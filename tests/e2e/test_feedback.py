"""Done when: in a real browser, an Arabic visitor submits an anonymous concern and reads its
status by code; a Spanish visitor leaves an e-mail address; staff move that concern to
"action taken" with a Spanish response; the submitter gets it in Spanish through the outbox
(a real worker when PostgreSQL and Redis are there); the action shows on "You said, we did"."""

import importlib

import pytest
from django.conf import settings
from django.core.cache import cache

from feedback.models import Concern
from messaging.models import Message
from tests.conftest import wait_for
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SPANISH_RESPONSE = "Hablamos con la escuela y desde el lunes hay un guardia de cruce por la mañana."
SPANISH_SUMMARY = "Padres pidieron seguridad frente a la escuela; ahora hay un guardia de cruce."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _migrated_data(page):
    """The categories and role permissions feedback's data migration creates.

    serialized_rollback restores them before each test, but Django looks for the serialized
    copy on the connection object of the current context, and once Playwright's sync API runs
    its loop the test gets a fresh connection object without it: the first browser test after
    a flush (e.g. straight after tests/feedback/test_delivery.py) would start with no
    categories or roles. Re-running the (idempotent) data migrations makes the order irrelevant."""
    from django.apps import apps

    from feedback.models import ConcernCategory

    if not ConcernCategory.objects.exists():
        importlib.import_module("liaison.migrations.0001_roles").create_roles(apps, None)
        importlib.import_module("liaison.migrations.0003_roles_and_topics").forwards(apps, None)
        importlib.import_module("feedback.migrations.0002_categories_and_roles").forwards(apps, None)


@pytest.fixture
def outbox_worker(request):
    """A real Celery worker when a broker is configured; in-process (eager) tasks otherwise."""
    if settings.CELERY_BROKER_URL:
        return request.getfixturevalue("celery_worker")
    return None


def _submit(page, lang: str, text: str, *, email: str = "") -> str:
    page.goto(f"/{lang}/concerns/new/")
    assert page.locator("html").get_attribute("lang") == lang
    assert "911" in page.locator(".emergency-note").inner_text()
    assert page.locator("#id_language").input_value() == lang
    page.locator("input[name=category]").first.check()
    page.fill("#id_text", text)
    if email:
        page.locator("#id_contact_method_1").check()
        page.fill("#id_email", email)
    else:
        assert page.locator("#id_contact_method_0").is_checked()  # anonymous by default
    page.locator("form.concern-form button[type=submit]").click()
    page.wait_for_url(f"**/{lang}/concerns/new/submitted/")
    code = page.locator("#tracking-code").inner_text().strip()
    assert len(code) == 12 and code.count("-") == 2
    return code


def test_feedback_concern_closes_the_loop_in_arabic_and_spanish(page, watch, role_user, outbox_worker):
    # An Arabic visitor, anonymous, then follows the concern by typing its code.
    code = _submit(page, "ar", "الإنارة في شارعنا مطفأة منذ أسبوعين.")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".tracking-slip").is_visible()
    page.goto("/ar/concerns/track/")
    page.fill("#id_code", code.lower().replace("-", " "))
    page.locator("form.track-form button[type=submit]").click()
    page.wait_for_load_state()
    # A POST answered with the status itself: the code is not in the address.
    assert page.url.endswith("/ar/concerns/track/")
    assert page.locator("#concern-status").get_attribute("data-status") == "received"
    assert page.locator(".tracking-code").inner_text().strip() == code
    arabic = Concern.objects.get(code=code.replace("-", ""))
    assert (arabic.language, arabic.address) == ("ar", "")

    # A Spanish visitor leaves an e-mail address to get the answer.
    code_es = _submit(page, "es", "Los coches pasan muy rápido frente a la escuela.", email="ana@example.org")
    concern = Concern.objects.get(code=code_es.replace("-", ""))
    assert (concern.language, concern.email) == ("es", "ana@example.org")

    # Staff move it to "action taken" with a Spanish response, then publish it.
    staff = role_user("Liaison officer", username="amina")
    login(page, staff.username)
    page.goto("/en/concerns/queue/")
    page.locator(".concern-link", has_text=code_es).click()
    page.wait_for_url(f"**/en/concerns/queue/{concern.pk}/")
    # The submitter's language comes first.
    first = page.locator(".status-form textarea[name^=response_]").first
    assert first.get_attribute("name") == "response_es"
    page.select_option("#id_status", "action_taken")
    page.fill("#id_response_es", SPANISH_RESPONSE)
    page.locator(".status-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#current-status").inner_text() == "Action taken"
    page.fill("#id_summary_es", SPANISH_SUMMARY)
    page.fill("#id_summary_en", "Parents asked for safety outside the school; there is now a crossing guard.")
    page.locator("#id_published").check()
    page.locator(".publish-form button[type=submit]").click()
    page.wait_for_load_state()

    # The submitter receives the response in Spanish through the outbox.
    message = wait_for(
        lambda: Message.objects.filter(
            key__startswith=f"concern:{concern.pk}:status:", status="sent"
        ).first(),
        timeout=30,
    )
    assert message is not None, list(Message.objects.values_list("status", "last_error"))
    assert (message.channel, message.address, message.language) == ("email", "ana@example.org", "es")
    assert SPANISH_RESPONSE in message.body
    assert Message.objects.filter(key__startswith=f"concern:{concern.pk}:status:").count() == 1
    # Besides the answer, only the receipt sent when she submitted it (issue 11), in Spanish.
    receipt = Message.objects.get(key=f"concern:{concern.pk}:receipt:submitter")
    assert receipt.language == "es" and concern.code_display in receipt.body
    assert Message.objects.filter(key__startswith=f"concern:{concern.pk}:").count() == 2

    # The Spanish visitor reads the answer on the status page, and the action on "You said, we did".
    page.goto(f"/es/concerns/track/{code_es}/")
    assert SPANISH_RESPONSE in page.locator(".public-response").inner_text()
    assert page.locator(".translation-fallback").count() == 0
    page.goto("/es/you-said-we-did/")
    assert SPANISH_SUMMARY in page.locator(".ysd-list").inner_text()
    # The Arabic page falls back visibly: no Arabic summary was written.
    page.goto("/ar/you-said-we-did/")
    assert page.locator(".ysd-item .translation-fallback").count() == 1
    assert watch.console_errors == []
    assert watch.foreign_requests == []


def test_feedback_form_on_a_phone_keeps_text_after_an_error_and_fits_the_screen(phone, watch):
    phone.goto("/ar/concerns/new/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.locator("input[name=category]").first.check()
    phone.fill("#id_text", "<script>alert(1)</script> نص")
    phone.locator("#id_contact_method_1").check()
    phone.fill("#id_email", "not-an-address")
    phone.locator("form.concern-form button[type=submit]").click()
    phone.wait_for_load_state()
    assert phone.locator("#error-summary").is_visible()
    assert phone.locator("#id_text").input_value() == "<script>alert(1)</script> نص"
    assert Concern.objects.count() == 0
    # The honeypot is there for bots but off the screen for people, without widening the page.
    box = phone.locator("#id_website").bounding_box()
    assert box["x"] + box["width"] <= 0 or box["x"] >= 375
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    # The form with errors comes back as HTTP 400, which the browser notes; nothing else may.
    assert [e for e in watch.console_errors if "status of 400" not in e] == []
