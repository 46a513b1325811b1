"""Figures under a unit filter, and the interpreter share, link to exactly their records."""

import pytest

from liaison.quarters import Quarter
from tests.factories import ContactFactory, LiaisonFactory

pytestmark = pytest.mark.django_db


def test_dashboard_interpreter_share_links_to_its_contacts_under_a_unit_filter(client, role_user):
    day = Quarter.current().start
    north, south = LiaisonFactory(unit="Zone 1"), LiaisonFactory(unit="Zone 6")
    ContactFactory(liaison=north, date=day, interpreter_used=True)
    ContactFactory(liaison=north, date=day, interpreter_used=False)
    ContactFactory(liaison=south, date=day, interpreter_used=True)
    client.force_login(role_user("Commander"))
    page = client.get("/en/dashboard/", {"unit": "Zone 1"})
    assert page.status_code == 200
    url = page.context["interpreter_url"]
    assert "unit=Zone+1" in url and "interpreter=yes" in url
    listed = client.get(url).context["page"].count
    assert listed == 1 == page.context["fig"].interpreter
