"""axe-core (WCAG 2.2 AA) on every page a person reaches - public, liaison, commander,
coordinator, the admin's main pages - in English and Arabic, on a 375 px phone and a 1280 px
desktop, with the demo's data: no serious or critical violation, and no page wider than the
screen (issue 11)."""

from io import StringIO

import pytest
from django.core.management import call_command

from outreach.models import OutreachEvent
from tests.e2e.conftest import axe_violations, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "bridge-demo-login"
PUBLIC = [
    "/{lang}/",
    "/{lang}/privacy/",
    "/{lang}/concerns/new/",
    "/{lang}/concerns/track/",
    "/{lang}/events/",
    "/{lang}/events/{event}/",
    "/{lang}/liaisons/",
    "/{lang}/subscribe/",
    "/{lang}/you-said-we-did/",
]
STAFF = {
    "liaison": [
        "/{lang}/contacts/",
        "/{lang}/contacts/new/",
        "/{lang}/concerns/queue/",
        "/{lang}/outreach/events/",
    ],
    "commander": ["/{lang}/dashboard/"],
    "coordinator": [
        "/{lang}/outreach/events/new/",
        "/{lang}/staff/audit/",
        "/admin/",
        "/admin/outreach/outreachevent/",
        "/admin/liaison/prioritycommunity/",
    ],
}


@pytest.fixture
def demo():
    call_command("seed_demo", allow_without_debug=True, stdout=StringIO())
    return {"event": OutreachEvent.objects.filter(status="published").order_by("start").first().pk}


def _check(page, url, width, problems):
    page.goto(url)
    for line in axe_violations(page):
        problems.append(f"{url} at {width}px: {line}")
    wide = page.evaluate("document.documentElement.scrollWidth")
    if wide > width:
        problems.append(f"{url} at {width}px is {wide}px wide")


def test_a11y_every_public_page(axe_context, demo):
    problems: list[str] = []
    for width in (375, 1280):
        page = axe_context(width)
        for lang in ("en", "ar"):
            for url in PUBLIC:
                _check(page, url.format(lang=lang, **demo), width, problems)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("role", list(STAFF))
def test_a11y_every_staff_page(axe_context, demo, role):
    problems: list[str] = []
    for width in (375, 1280):
        page = axe_context(width)
        login(page, role, password=PASSWORD)
        for lang in ("en", "ar"):
            for url in STAFF[role]:
                _check(page, url.format(lang=lang, **demo), width, problems)
    assert problems == [], "\n".join(problems)
