import pytest

from feedback.models import Concern

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_covers_languages_statuses_and_publishing():
    from feedback import demo

    demo.seed(users={})
    first = Concern.objects.count()
    demo.seed(users={})
    assert Concern.objects.count() == first == 12
    assert set(Concern.objects.values_list("language", flat=True)) == {"en", "es", "ar"}
    assert set(Concern.objects.values_list("status", flat=True)) == set(Concern.Status.values)
    assert Concern.objects.filter(published=True).count() >= 3
