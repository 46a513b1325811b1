import datetime as dt

import pytest

from liaison.models import Assignment, LanguageSkill
from tests.factories import CommunityFactory, LiaisonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    bhutanese = CommunityFactory(
        name="Bhutanese", name_es="Butaneses", name_ar="البوتانيون", slug="bhutanese"
    )
    latino = CommunityFactory(name="Latino", slug="latino")
    dil = LiaisonFactory(user__first_name="Dil", user__last_name="Gurung", public_phone="+1 412-555-0102")
    LanguageSkill.objects.create(liaison=dil, language="ne", proficiency=1)
    Assignment.objects.create(liaison=dil, community=bhutanese, starts_on=dt.date(2024, 1, 1))
    ana = LiaisonFactory(user__first_name="Ana", user__last_name="Rivera", badge_number="SECRET-BADGE-77")
    LanguageSkill.objects.create(liaison=ana, language="es", proficiency=1)
    Assignment.objects.create(liaison=ana, community=latino, starts_on=dt.date(2024, 1, 1))
    gone = LiaisonFactory(user__first_name="Former", user__last_name="Officer", is_active=False)
    LanguageSkill.objects.create(liaison=gone, language="ne", proficiency=1)
    return {"dil": dil, "ana": ana}


def test_directory_filters_by_language(client, people):
    names = [lz.display_name for lz in client.get("/en/liaisons/", {"language": "ne"}).context["liaisons"]]
    assert names == ["Dil Gurung"]


def test_directory_filters_by_community_slug(client, people):
    names = [
        lz.display_name for lz in client.get("/en/liaisons/", {"community": "latino"}).context["liaisons"]
    ]
    assert names == ["Ana Rivera"]


def test_directory_shows_public_contact_and_no_private_data(client, people):
    html = client.get("/en/liaisons/").content.decode()
    assert "+1 412-555-0102" in html
    assert "SECRET-BADGE-77" not in html
    assert "Former Officer" not in html


@pytest.mark.parametrize(
    ("lang", "community"), [("en", "Bhutanese"), ("es", "Butaneses"), ("ar", "البوتانيون")]
)
def test_directory_speaks_the_visitors_language(client, people, lang, community):
    html = client.get(f"/{lang}/liaisons/").content.decode()
    assert community in html


def test_directory_unknown_filter_shows_everyone_with_a_note(client, people):
    response = client.get("/en/liaisons/", {"language": "xx"})
    assert response.status_code == 200
    assert len(response.context["liaisons"]) == 2
