"""The iCalendar feed (RFC 5545), built with the icalendar library."""

import datetime as dt
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import translation
from icalendar import Calendar, Event, vRecur

from agencies import conf
from agencies import conf as agency_conf
from languages import content
from messaging.rendering import format_when

from .models import OutreachEvent
from .recurrence import rrule_byday


def build_calendar(events, *, language: str) -> bytes:
    host = urlsplit(agency_conf.site_url()).hostname or "localhost"
    cal = Calendar()
    cal.add("prodid", f"-//Bridge//{conf.unit_name()}//{language.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    with translation.override(language):
        cal.add("x-wr-calname", str(translation.gettext("Community meetings")) + f" · {conf.unit_name()}")
        for event in events:
            cal.add_component(_vevent(event, host))
    cal.add_missing_timezones()
    return cal.to_ical()


def _vevent(event: OutreachEvent, host: str) -> Event:
    tz = event.tz
    ev = Event()
    ev.add("uid", f"event-{event.pk}@{host}")
    ev.add("dtstamp", event.updated_at)
    ev.add("last-modified", event.updated_at)
    ev.add("created", event.created_at)
    ev.add("sequence", event.change_count)
    ev.add("dtstart", event.start.astimezone(tz))
    ev.add("dtend", event.end.astimezone(tz))
    # Each text says which language it is in (RFC 5545 LANGUAGE), a fallback included.
    title = content.localized(event, "title")
    ev.add("summary", title.text, parameters={"LANGUAGE": title.language})
    description = content.localized(event, "description")
    parts = [
        translation.gettext("When:") + " " + format_when(event.start, event.end, event.time_zone),
        description.text,
    ]
    if event.interpretation_languages:
        parts.append(
            translation.gettext("Free interpretation:") + " " + ", ".join(event.interpretation_names)
        )
    directions = content.localized(event, "venue_directions")
    if directions:
        parts.append(directions.text)
    # LANGUAGE only when the whole description is in the feed's language (a fallback text
    # makes it mixed, and RFC 5545 gives a property one language).
    mixed = any(t.is_fallback for t in (description, directions) if t)
    ev.add(
        "description",
        "\n\n".join(p for p in parts if p),
        parameters={} if mixed else {"LANGUAGE": translation.get_language()},
    )
    ev.add("location", f"{event.venue_name}, {event.address}")
    ev.add("url", agency_conf.site_url() + reverse("outreach:event-detail", kwargs={"pk": event.pk}))
    ev.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    ev.add("categories", [event.get_kind_display()])
    if event.recurrence == OutreachEvent.Recurrence.MONTHLY and event.repeat_until:
        until = dt.datetime.combine(event.repeat_until, dt.time(23, 59, 59), tzinfo=tz).astimezone(dt.UTC)
        ev.add("rrule", vRecur({"FREQ": "MONTHLY", "BYDAY": rrule_byday(event.start, tz), "UNTIL": until}))
    return ev
