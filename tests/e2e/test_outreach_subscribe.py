"""The sign-up page in a real browser: English on a phone, and Arabic right to left."""

import re

import pytest

from messaging.models import Message
from outreach.models import Subscriber
from tests.factories import CommunityFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def outbox_in_process(settings):
    """The live server sends in-process: nothing goes into a shared Redis queue. Every
    browser comes from 127.0.0.1, so the per-address sign-up limit is lifted here."""
    from bridge.celery import app

    settings.OUTREACH_SIGNUPS_RATE = "10000/h"
    was = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = was


def test_outreach_signup_on_a_phone_then_confirm(phone, watch, settings, tmp_path):
    settings.EMAIL_FILE_PATH = str(tmp_path)
    CommunityFactory(slug="latino", name="Latino", name_en="Latino")
    phone.goto("/en/subscribe/")
    assert phone.get_by_text("This form is not for emergencies. In an emergency, call 911.").is_visible()
    # One column, nothing wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_label("E-mail address").fill("amina@example.org")
    phone.get_by_label("Latino").check()
    phone.locator("#id_consent").check()
    phone.get_by_role("button", name="Sign up").click()
    phone.wait_for_url("**/en/subscribe/done/")
    assert phone.get_by_role("heading", name="Almost done: check your messages").is_visible()

    (message,) = Message.objects.all()
    link = re.search(r"https?://[^/]+(/en/subscribe/confirm/\S+/)", message.body).group(1)
    phone.goto(link)
    phone.get_by_role("button", name="Yes, send me meeting notices").click()
    assert phone.get_by_role("heading", name="You are signed up").is_visible()
    sub = Subscriber.objects.get()
    assert sub.is_confirmed and [c.slug for c in sub.communities.all()] == ["latino"]
    assert watch.console_errors == []
    assert watch.foreign_requests == []


def test_outreach_signup_in_arabic_is_right_to_left_and_refuses_a_bad_number(page, watch):
    page.goto("/ar/subscribe/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert "911" in page.locator(".not-emergency").inner_text()
    # The form's first label sits on the right, as Arabic readers expect.
    label = page.locator("label[for=id_email]").bounding_box()
    assert label["x"] + label["width"] > 640
    page.locator("#id_channel_1").check()  # text message
    page.locator("#id_phone").fill("12345")
    page.locator("#id_consent").check()
    page.locator("form.subscribe-form button[type=submit]").click()
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert "توجد مشكلة" in summary.inner_text()  # "There is a problem", in Arabic
    assert page.locator("#id_phone").input_value() == "12345"  # what they typed is kept
    assert not Subscriber.objects.exists()
    assert not Message.objects.exists()
    assert watch.console_errors == []
    assert watch.foreign_requests == []
