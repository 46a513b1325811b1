"""The regional view in a browser: axe-core (WCAG 2.2 AA) finds no serious or critical
violation, and the page is no wider than a 375-pixel phone, in English and in Arabic."""

import pytest

from agencies import context as agency_context
from agencies import services as agency_services
from agencies.models import Agency
from liaison.quarters import Quarter
from tests.e2e.conftest import axe_violations, login
from tests.factories import CommunityFactory, ContactFactory, LiaisonFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_regional_page_is_accessible_and_fits_a_phone(axe_context, lang):
    home = Agency.objects.get(pk=agency_context.default_agency_id())
    for slug, name in (("north", "North County Police Department"), ("south", "South City Police")):
        agency = agency_services.agency_create(slug=slug, name=name, shares_regional_figures=True)
        with agency_context.use(agency):
            comm = CommunityFactory(slug="somali", name="Somali", name_en="Somali")
            CommunityFactory(slug=f"never-{slug}", name="Bhutanese and Nepali speakers")
            ContactFactory(liaison=LiaisonFactory(), date=Quarter.current().start, communities=[comm])
    user = UserFactory(username="analyst")
    agency_services.member_set(user=user, agency=home, regional_analyst=True)
    page = axe_context(375)
    login(page, "analyst", lang=lang)
    page.goto(f"/{lang}/regional/")
    assert page.locator("h1").count() == 1
    assert "North County Police Department" in page.locator(".sharing-agencies").inner_text()
    problems = [f"{line}" for line in axe_violations(page)]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "wider than the phone"
    assert problems == []
