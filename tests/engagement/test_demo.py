"""The demo's engagement requests: the building request assigned to the Chinese-speaking
liaison, engaged, with a contact and an event linked; one open request nobody has yet."""

from io import StringIO

import pytest
from django.core.management import call_command

from engagement import demo
from engagement.models import EngagementRequest

pytestmark = pytest.mark.django_db


def test_demo_requests_are_seeded_once(settings):
    call_command("seed_demo", allow_without_debug=True, quiet_logins=True, stdout=StringIO())
    call_command("seed_demo", allow_without_debug=True, quiet_logins=True, stdout=StringIO())
    assert EngagementRequest.objects.count() == 2
    building = EngagementRequest.objects.get(subject=demo.BUILDING)
    assert building.status == "engaged" and building.languages == ["zh"]
    (liaison,) = building.liaisons.all()
    assert liaison.languages.filter(language="zh").exists()
    assert building.contacts.count() == 1 and building.events.count() == 1
    assert building.first_engaged_at is not None
    school = EngagementRequest.objects.get(subject=demo.SCHOOL)
    assert school.status == "requested" and not school.liaisons.exists()
