import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache (Redis in the services run): start each test
    with none, so one test's submissions never limit another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def concern_form_data():
    from feedback.models import ConcernCategory

    def make(**overrides):
        data = {
            "category": ConcernCategory.objects.get(slug="safety").pk,
            "text": "Cars drive very fast past the school on Penn Avenue every morning.",
            "community": "",
            "place": "Penn Avenue",
            "contact_method": "none",
            "email": "",
            "phone": "",
            "language": "en",
            "website": "",
        }
        data.update(overrides)
        return data

    return make
