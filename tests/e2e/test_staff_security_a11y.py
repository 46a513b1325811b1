"""axe-core (WCAG 2.2 AA) on the pages staff security added, in English and Arabic, on a phone
and a desktop: no serious or critical violation, and nothing wider than the screen."""

import pytest

from tests.conftest import totp_code, totp_device
from tests.e2e.conftest import axe_violations, login
from tests.factories import ConcernFactory, LiaisonFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PUBLIC = [
    "/{lang}/accounts/login/",
    "/{lang}/accounts/password_reset/",
    "/{lang}/accounts/password_reset/done/",
    "/{lang}/concerns/track/",
]
STAFF = [
    "/{lang}/accounts/security/",
    "/{lang}/accounts/mfa/setup/",
    "/{lang}/staff/audit/",
    "/{lang}/concerns/queue/{concern}/",
]


def _check(page, url, width, problems):
    page.goto(url)
    for line in axe_violations(page):
        problems.append(f"{url} at {width}px: {line}")
    if page.evaluate("document.documentElement.scrollWidth") > width:
        problems.append(f"{url} at {width}px scrolls sideways")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a11y_sign_in_security_pages(axe_context, role_user, lang):
    coordinator = role_user("Coordinator", username=f"mei-{lang}", is_staff=True)
    concern = ConcernFactory(contact_method="email", email="layla@example.org", assignee=LiaisonFactory())
    problems: list[str] = []
    for width in (375, 1280):
        page = axe_context(width)
        for url in PUBLIC:
            _check(page, url.format(lang=lang), width, problems)
        # The code page, as a person meets it, without and with an error.
        page.goto(f"/{lang}/accounts/login/")
        page.fill("#id_username", coordinator.username)
        page.fill("#id_password", "correct horse battery")
        totp_device(coordinator)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").last.click()
        for line in axe_violations(page):
            problems.append(f"code page at {width}px: {line}")
        page.fill("#id_token", "000000" if totp_code(totp_device(coordinator)) != "000000" else "111111")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        for line in axe_violations(page):  # the code page with its error summary
            problems.append(f"code page with an error at {width}px: {line}")
        page.wait_for_timeout(1100)
        login(page, coordinator.username, lang=lang)
        for url in STAFF:
            _check(page, url.format(lang=lang, concern=concern.pk), width, problems)
    # Last, since it locks this browser's address: the lockout page, on both screens.
    UserFactory(username=f"locked-{lang}")
    for width in (375, 1280):
        page = axe_context(width)
        for _ in range(5 if width == 375 else 1):
            page.goto(f"/{lang}/accounts/login/")
            page.fill("#id_username", f"locked-{lang}")
            page.fill("#id_password", "not the password")
            with page.expect_navigation():
                page.locator("main form button[type=submit]").last.click()
        assert page.locator("#locked-out").is_visible()
        for line in axe_violations(page):
            problems.append(f"lockout page at {width}px: {line}")
    assert problems == [], "\n".join(problems)
