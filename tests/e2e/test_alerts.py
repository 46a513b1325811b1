"""Safety alerts in a real browser: a coordinator previews and approves one, and a community
member reads it in Arabic (right to left) and in Somali on a phone."""

import pytest

from messaging.models import Message
from outreach.models import SafetyAlert
from tests.e2e.conftest import axe_violations, login, phone_context
from tests.factories import CommunityFactory, SubscriberFactory, UserFactory
from tests.outreach.alert_helpers import TEXTS, sent_alert, submitted_alert

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def outbox_in_process(settings, tmp_path):
    """The live server sends in-process: nothing goes into a shared Redis queue."""
    from bridge.celery import app

    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    was = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = was


def _user(username, role):
    from django.contrib.auth.models import Group

    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_alert_coordinator_sees_the_preview_and_counts_then_approves(page, watch):
    latino = CommunityFactory(slug="latino", name="Latino")
    SubscriberFactory(language="es", wants_alerts=True, communities=[latino])
    SubscriberFactory(language="ar", wants_alerts=True)
    liaison = _user("drafter", "Liaison officer")
    _user("mei", "Coordinator")
    alert = submitted_alert(liaison, communities=[latino])
    login(page, "mei")
    page.goto("/en/outreach/alerts/")
    page.get_by_role("link", name="Review and approve").click()
    assert page.get_by_text(TEXTS["title_en"]).first.is_visible()
    assert page.get_by_text("2 subscribers will get it").is_visible()
    assert page.locator(".recipient-counts").get_by_text("Español").is_visible()
    page.get_by_role("button", name="Approve and send").click()
    page.wait_for_url("**/en/outreach/alerts/")
    assert page.get_by_text("Approved and sent. 2 subscribers get the alert.").is_visible()
    alert.refresh_from_db()
    assert alert.status == SafetyAlert.Status.SENT
    assert Message.objects.filter(key__startswith=f"alert:{alert.pk}:").count() == 2
    page.goto("/en/alerts/")
    assert page.get_by_role("link", name=TEXTS["title_en"]).is_visible()
    assert watch.console_errors == []


@pytest.mark.parametrize(
    ("lang", "title", "direction"), [("ar", TEXTS["title_ar"], "rtl"), ("so", TEXTS["title_en"], "ltr")]
)
def test_alert_community_member_reads_it_on_a_phone(browser, live_server, lang, title, direction):
    liaison, coordinator = _user("drafter", "Liaison officer"), _user("mei", "Coordinator")
    alert = sent_alert(liaison, coordinator, communities=[CommunityFactory(slug="latino")])
    context = phone_context(browser, live_server.url, bypass_csp=True)
    phone = context.new_page()
    for url in (f"/{lang}/alerts/", f"/{lang}/alerts/{alert.pk}/"):
        phone.goto(url)
        assert phone.locator("html").get_attribute("dir") == direction
        assert phone.get_by_text(title).first.is_visible()
        assert phone.locator(".report-safely").get_by_text("911").is_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
        assert axe_violations(phone) == [], url
    if lang == "so":  # no Somali text: the English one, marked as such
        assert phone.locator("h1 [lang=en]").count() == 1
    context.close()
