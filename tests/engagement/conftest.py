import pytest

from tests.factories import CommunityFactory

from .helpers import speaker


@pytest.fixture
def world(role_user):
    building = CommunityFactory(name="East Asian", name_en="East Asian", languages=["zh", "ko"])
    other = CommunityFactory(name="Latino", name_en="Latino", languages=["es"])
    commander = role_user("Commander", first_name="Daniel", last_name="Ortiz")
    coordinator = role_user("Coordinator", first_name="Mei", last_name="Chen")
    wei = speaker(building, [("zh", 1), ("en", 2)], user__first_name="Wei", user__last_name="Zhang")
    luis = speaker(other, [("es", 1)], user__first_name="Luis", user__last_name="Garcia")
    return {
        "building": building,
        "other": other,
        "commander": commander,
        "coordinator": coordinator,
        "wei": wei,
        "luis": luis,
    }
