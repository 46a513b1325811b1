"""Who may open the commander dashboard and its exports: commanders and coordinators only."""

import pytest

pytestmark = pytest.mark.django_db

URLS = [
    "/en/dashboard/",
    "/en/dashboard/export/figures.csv",
    "/en/dashboard/export/figures.xlsx",
    "/en/dashboard/export/contacts.csv",
    "/en/dashboard/export/contacts.xlsx",
]


@pytest.mark.parametrize("url", URLS)
def test_access_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", URLS)
def test_access_liaison_is_refused(client, url):
    from tests.factories import LiaisonFactory

    client.force_login(LiaisonFactory().user)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["Commander", "Coordinator"])
@pytest.mark.parametrize("url", URLS)
def test_access_commander_and_coordinator_open_dashboard_and_exports(client, role_user, role, url):
    client.force_login(role_user(role))
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_access_unknown_export_is_not_found(client, role_user):
    client.force_login(role_user("Commander"))
    assert client.get("/en/dashboard/export/figures.pdf").status_code == 404
    assert client.get("/en/dashboard/export/people.csv").status_code == 404


def test_access_dashboard_link_shows_only_for_roles_that_can_open_it(client, role_user):
    from tests.factories import LiaisonFactory

    client.force_login(role_user("Commander"))
    assert 'href="/en/dashboard/"' in client.get("/en/contacts/").content.decode()
    client.force_login(LiaisonFactory().user)
    assert 'href="/en/dashboard/"' not in client.get("/en/contacts/").content.decode()
