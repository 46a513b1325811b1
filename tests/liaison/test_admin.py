import pytest

from tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db


def test_admin_community_page_has_tabbed_translations_served_locally(client):
    from django.contrib.auth import get_user_model

    coordinator = get_user_model().objects.create_superuser("boss", "boss@example.org", "x")
    community = CommunityFactory(languages=["ne", "dz"])
    client.force_login(coordinator)
    html = client.get(f"/admin/liaison/prioritycommunity/{community.pk}/change/").content.decode()
    assert "vendor/jquery-ui/jquery-ui.min.js" in html
    assert "tabbed_translation_fields.js" in html
    assert "googleapis" not in html and "//ajax." not in html
    assert 'name="name_es"' in html and 'name="name_ar"' in html


def test_admin_coordinator_edits_languages_as_a_list(client, role_user):
    coordinator = role_user("Coordinator", is_staff=True)
    community = CommunityFactory()
    client.force_login(coordinator)
    url = f"/admin/liaison/prioritycommunity/{community.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name_en": "Bhutanese",
            "name_es": "Butaneses",
            "name_ar": "البوتانيون",
            "slug": community.slug,
            "languages": ["ne", "hi"],
            "priority_level": 1,
            "active_from": "2020-01-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    community.refresh_from_db()
    assert community.languages == ["ne", "hi"]
    assert community.name_es == "Butaneses"
