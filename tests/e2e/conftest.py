"""Real-browser tests: Playwright (Python) driving Debian's system Chromium."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import require

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# (creating fixtures) are still ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(scope="session")
def browser(chromium_path):
    require(chromium_path is not None, "Chromium at /usr/bin/chromium (apt-get install chromium)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs this thread on greenlets, and Django keeps its connections
    # per context: after the start, `connections` hands out new wrappers, without the copy
    # of the migrations' data that a transactional test restores from (serialized_rollback).
    # Without it, a browser test after a flushing one found no roles and no content types.
    saved = {c.alias: getattr(c, "_test_serialized_contents", None) for c in connections.all()}
    with sync_playwright() as pw:
        for alias, contents in saved.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        browser = pw.chromium.launch(
            executable_path=chromium_path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class PageWatch:
    """What a page did that a user would notice or a privacy reviewer would flag."""

    def __init__(self):
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []

    def attach(self, page):
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("request", self._on_request)

    def _on_request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
            self.foreign_requests.append(request.url)


@pytest.fixture
def watch():
    return PageWatch()


@pytest.fixture
def page(browser, live_server, watch):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    watch.attach(page)
    yield page
    context.close()


def phone_context(browser, base_url: str, **options):
    """A browser context for a 375-pixel-wide phone screen."""
    return browser.new_context(
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        base_url=base_url,
        **options,
    )


@pytest.fixture
def phone(browser, live_server, watch):
    """A 375-pixel-wide phone screen."""
    context = phone_context(browser, live_server.url)
    page = context.new_page()
    watch.attach(page)
    yield page
    context.close()


def login(page, username: str, password: str = "correct horse battery", lang: str = "en"):
    """Sign in through the real pages: the password, then the second factor - a code from the
    account's authenticator, or (when that code was used already in this 30-second step) one
    of its recovery codes."""
    from django.contrib.auth import get_user_model

    from tests.conftest import totp_device

    totp_device(get_user_model().objects.get(username=username))  # enrolled before, not at, sign-in
    if "/accounts/login/" not in page.url:  # else from the sign-in page a link led to
        page.goto(f"/{lang}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click() if lang == "en" else page.locator(
            "main form button[type=submit]"
        ).last.click()
    if "/accounts/mfa/" in page.url:
        page.fill("#id_token", second_factor_code(username))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()


def second_factor_code(username: str) -> str:
    from django.contrib.auth import get_user_model
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    from tests.conftest import totp_code, totp_device

    device = totp_device(get_user_model().objects.get(username=username))
    step = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
    if device.last_t < step:
        return totp_code(device)
    recovery, _ = StaticDevice.objects.get_or_create(user=device.user, name="Recovery codes")
    return StaticToken.objects.create(device=recovery, token=StaticToken.random_token()).token


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """axe-core's WCAG 2.2 A/AA violations of `impacts` on the current page, one line each.
    The page's context must be made with bypass_csp=True: axe is injected as an inline script."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(n['target'][0] for n in v['nodes'][:3])}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]


@pytest.fixture
def axe_context(browser, live_server):
    """Make a page of a given width that allows axe's injected script."""
    contexts = []

    def make(width: int):
        context = browser.new_context(
            viewport={"width": width, "height": 900}, base_url=live_server.url, bypass_csp=True
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
