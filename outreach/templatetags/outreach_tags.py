from django import template

from messaging.rendering import format_when

from .. import flyer

register = template.Library()


@register.simple_tag
def event_when(event, start=None):
    """The occurrence's day and times in the active language and the event's own zone."""
    start = start or getattr(event, "next_start", None) or event.start
    return format_when(start, start + event.duration, event.time_zone)


@register.simple_tag
def flyer_links(event):
    """{% flyer_links event as links %}: the flyer's address in each of the event's languages."""
    return flyer.flyer_links(event)
