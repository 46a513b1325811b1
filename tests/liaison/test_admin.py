import pytest

from tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db


def test_admin_community_page_has_each_fields_translations_side_by_side_served_locally(client):
    from django.contrib.auth import get_user_model

    coordinator = get_user_model().objects.create_superuser("boss", "boss@example.org", "x")
    community = CommunityFactory(languages=["ne", "dz"])
    client.force_login(coordinator)
    response = client.get(f"/admin/liaison/prioritycommunity/{community.pk}/change/")
    html = response.content.decode()
    assert "googleapis" not in html and "//ajax." not in html
    # One fieldset per translated field, its languages together, the source first.
    fieldsets = {fs.name: [f for line in fs for f in line] for fs in response.context["adminform"]}
    names = [f.field.name for f in fieldsets["Name"]]
    assert names[:3] == ["name_en", "name_es", "name_ar"] and len(names) == 16
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
