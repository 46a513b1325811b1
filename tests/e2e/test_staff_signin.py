"""Staff sign-in in a real browser: a new liaison enrols an authenticator on a phone (the test
computes the code from the key the page shows, as the app would), an enrolled commander signs
in in Arabic with a code, and a locked account says when to try again."""

import base64
import re

import pytest
from django_otp.oath import TOTP

from tests.conftest import totp_code, totp_device
from tests.factories import LiaisonFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_new_liaison_enrols_an_authenticator_on_a_phone_and_reaches_the_contact_log(phone, watch):
    LiaisonFactory(user__username="nima")
    phone.goto("/en/accounts/login/")
    phone.fill("#id_username", "nima")
    phone.fill("#id_password", "correct horse battery")
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url("**/accounts/mfa/setup/**")
    assert phone.get_by_role("heading", name="Set up your second step").is_visible()
    assert phone.get_by_alt_text("QR code for your authenticator app").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    key = re.sub(r"\s", "", phone.locator("#mfa-key").inner_text())
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    code = f"{TOTP(secret).token():06d}"

    phone.fill("#id_token", "000000" if code != "000000" else "111111")
    phone.get_by_role("button", name="Turn on the second step").click()
    assert phone.locator("#error-summary").is_visible()  # a wrong code is refused, with the reason
    phone.wait_for_timeout(1100)  # each wrong code costs a second's wait (django-otp)

    phone.fill("#id_token", code)
    phone.get_by_role("button", name="Turn on the second step").click()
    assert phone.get_by_role("heading", name="Your recovery codes").is_visible()
    assert phone.locator("#recovery-codes li").count() == 10
    phone.get_by_role("link", name="I have saved them, continue").click()
    phone.goto("/en/contacts/new/")
    assert phone.get_by_role("button", name="Save contact").is_visible()
    # The one console line is the wrong code's answer (400, the form with its error).
    assert [e for e in watch.console_errors if "status of 400" not in e] == []
    assert watch.foreign_requests == []


def test_enrolled_commander_signs_in_in_arabic_with_a_code(page, watch, role_user):
    commander = role_user("Commander", username="daniel")
    device = totp_device(commander)
    page.goto("/ar/accounts/login/")
    page.fill("#id_username", "daniel")
    page.fill("#id_password", "correct horse battery")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/ar/accounts/mfa/**")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    # Before the code, staff pages stay closed.
    page.goto("/ar/dashboard/")
    assert "/ar/accounts/mfa/" in page.url
    page.fill("#id_token", totp_code(device))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/ar/dashboard/**")
    assert page.locator("h1").is_visible()
    assert watch.console_errors == []


def test_locked_account_is_told_when_to_try_again(phone):
    UserFactory(username="locked")
    for _ in range(5):
        phone.goto("/en/accounts/login/")
        phone.fill("#id_username", "locked")
        phone.fill("#id_password", "not the password")
        phone.get_by_role("button", name="Sign in").click()
    alert = phone.locator("#locked-out")
    assert alert.is_visible()
    assert "Try again in 15 minutes" in alert.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
