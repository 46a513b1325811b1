"""Monthly meetings on the same weekday of the month ("the second Tuesday", "the last
Friday"), in the event's own time zone so the wall-clock time survives daylight saving."""

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
MAX_OCCURRENCES = 120


def weekday_position(day: dt.date) -> int:
    """1..4 for the first to fourth such weekday of the month; -1 for a fifth (the last)."""
    n = (day.day - 1) // 7 + 1
    return -1 if n == 5 else n


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    days = [
        d
        for d in calendar.Calendar().itermonthdates(year, month)
        if d.month == month and d.weekday() == weekday
    ]
    return days[-1] if n == -1 else days[n - 1]


def monthly_occurrences(start: dt.datetime, tz: ZoneInfo, *, until: dt.date) -> list[dt.datetime]:
    local = start.astimezone(tz)
    n, weekday = weekday_position(local.date()), local.weekday()
    out = []
    year, month = local.year, local.month
    while len(out) < MAX_OCCURRENCES:
        day = nth_weekday(year, month, weekday, n)
        if day > until:
            break
        out.append(dt.datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=tz))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


def rrule_byday(start: dt.datetime, tz: ZoneInfo) -> str:
    local = start.astimezone(tz)
    return f"{weekday_position(local.date())}{WEEKDAYS[local.weekday()]}"
