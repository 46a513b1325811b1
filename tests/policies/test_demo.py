import pytest
from django.conf import settings

from policies import demo
from policies.models import Policy, PolicyVersion

pytestmark = pytest.mark.django_db


def test_demo_seeds_five_pages_in_every_language_once(coordinator):
    assert demo.seed(users={"coordinator": coordinator}) == 5
    assert demo.seed(users={"coordinator": coordinator}) == 0
    assert Policy.objects.count() == 5 and PolicyVersion.objects.count() == 5
    version = PolicyVersion.objects.get(policy__slug="confidentiality")
    for code, _name in settings.LANGUAGES:
        column = code.replace("-", "_")
        assert getattr(version, f"title_{column}") and getattr(version, f"body_{column}"), code
    assert version.title_ar != version.title_en and version.title_so != version.title_en
