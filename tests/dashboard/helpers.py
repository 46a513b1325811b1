"""Small builders for dashboard tests: contacts on chosen days with chosen attributes."""

import datetime as dt

from liaison.quarters import Quarter
from tests.factories import CommunityFactory, ContactFactory, LiaisonFactory


def a_day_in(quarter: Quarter, offset: int = 0) -> dt.date:
    return quarter.start + dt.timedelta(days=offset)


def last_quarter() -> Quarter:
    return Quarter.current().previous()


def contact(liaison, day, communities, **fields):
    return ContactFactory(liaison=liaison, date=day, communities=communities, **fields)


def small_unit(quarter: Quarter | None = None):
    """Two liaisons in two units, three communities (one never reached), five contacts."""
    quarter = quarter or last_quarter()
    bhutanese = CommunityFactory(name="Bhutanese", name_en="Bhutanese")
    latino = CommunityFactory(name="Latino", name_en="Latino")
    somali = CommunityFactory(name="Somali", name_en="Somali")
    amina = LiaisonFactory(user__first_name="Amina", user__last_name="Hassan", unit="Zone 3")
    luis = LiaisonFactory(user__first_name="Luis", user__last_name="Garcia", unit="Zone 6")
    day = a_day_in(quarter, 3)
    contact(amina, day, [bhutanese], kind="formal_meeting", language="ne", people_reached=10)
    contact(
        amina, day, [bhutanese, latino], kind="event", language="ne", people_reached=40, interpreter_used=True
    )
    contact(luis, day, [latino], kind="phone_call", language="es", people_reached=1)
    contact(luis, day, [latino], kind="phone_call", language="es", people_reached=2)
    # In the quarter before: shows in the trend only.
    contact(luis, a_day_in(quarter.previous(), 5), [latino], kind="event", language="es", people_reached=5)
    return {
        "quarter": quarter,
        "communities": (bhutanese, latino, somali),
        "liaisons": (amina, luis),
    }
