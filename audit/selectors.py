"""Reads of the audit trail."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from .models import Entry


def trail(
    *,
    event: str = "",
    actor: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    object_type: str = "",
) -> QuerySet:
    """Newest first, with the django-auditlog diff and the object type in the same query.
    `actor` matches part of the username copy (it outlives the account); `object_type` is
    "app_label.model"; the dates are whole local days, both included."""
    qs = Entry.objects.select_related("content_type", "log_entry")
    if event:
        qs = qs.filter(event=event)
    if actor:
        qs = qs.filter(actor_username__icontains=actor)
    if date_from:
        qs = qs.filter(timestamp__gte=_start_of(date_from))
    if date_to:
        qs = qs.filter(timestamp__lt=_start_of(date_to + dt.timedelta(days=1)))
    if object_type:
        app_label, _dot, model = object_type.partition(".")
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model)
    return qs.order_by("-timestamp", "-id")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
