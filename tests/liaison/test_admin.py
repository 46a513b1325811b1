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


def test_admin_contact_search_finds_by_liaison_partner_or_a_word_in_the_notes(client):
    from django.contrib.auth import get_user_model

    from tests.factories import ContactFactory, LiaisonFactory, PartnerFactory

    coordinator = get_user_model().objects.create_superuser("boss", "boss@example.org", "x")
    client.force_login(coordinator)
    garcia = LiaisonFactory(user__last_name="Garcia")
    other = LiaisonFactory(user__last_name="Okafor")
    mosque = PartnerFactory(name="Al-Noor Mosque")
    by_liaison = ContactFactory(liaison=garcia, notes="")
    by_partner = ContactFactory(liaison=other, partner=mosque, notes="")
    by_notes = ContactFactory(liaison=other, notes="Asked about the garcia street crossing")
    nothing = ContactFactory(liaison=other, notes="Youth soccer")

    def found(term):
        response = client.get("/admin/liaison/contact/", {"q": term})
        assert response.status_code == 200
        return {c.pk for c in response.context["cl"].result_list}

    assert found("garcia") == {by_liaison.pk, by_notes.pk}
    assert found("noor") == {by_partner.pk}
    assert found("SOCCER") == {nothing.pk}
    assert found("nobody-has-this") == set()
    assert len(found("")) == 4
