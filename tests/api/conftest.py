import datetime as dt

import pytest
from django.core.cache import cache

from api import services
from liaison.models import Assignment
from tests.factories import CommunityFactory, LiaisonFactory


@pytest.fixture(autouse=True)
def _fresh_limits():
    """Rate limits count per address and token in the shared cache: each test starts at zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_rates(monkeypatch):
    """api_rates(token="3/min") -> DRF's limits for this test (its throttles read the rates
    once, at import, so the setting alone would not change them)."""
    from rest_framework.throttling import SimpleRateThrottle

    def set_rates(**rates):
        monkeypatch.setattr(
            SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **rates}
        )

    return set_rates


def make_token(user, scopes, days=30) -> str:
    _row, secret = services.token_create(actor=user, name="Test tool", scopes=list(scopes), days=days)
    return secret


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def liaison_with_community(db):
    liaison = LiaisonFactory()
    community = CommunityFactory(name_en="Bhutanese Nepali", slug="bhutanese-nepali")
    Assignment.objects.create(liaison=liaison, community=community, starts_on=dt.date(2024, 1, 1))
    return liaison, community
