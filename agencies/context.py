"""The agency a piece of work is for: set once per request (agencies.middleware, from the host
name), per Celery task (agencies.receivers, carried in the task's headers) or explicitly with
``use(agency)``; read by the tenant manager (agencies.managers) and by the agency field's
default. With no agency set (a management command, a beat sweep) queries see every agency and
new rows go to the deployment's default agency.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation

_current: contextvars.ContextVar[int | None] = contextvars.ContextVar("bridge_agency", default=None)


def current_id() -> int | None:
    return _current.get()


def activate(agency) -> contextvars.Token:
    """Work as `agency` (an Agency, an id or None for all agencies) until `deactivate`."""
    agency_id = getattr(agency, "pk", agency)
    return _current.set(int(agency_id) if agency_id is not None else None)


def deactivate(token: contextvars.Token) -> None:
    _current.reset(token)


@contextmanager
def use(agency):
    """Work as `agency` inside the block."""
    token = activate(agency)
    try:
        yield
    finally:
        deactivate(token)


def default_slug() -> str:
    return settings.BRIDGE_DEFAULT_AGENCY


def default_agency_id() -> int:
    """The deployment's first agency (the one an upgrade moved the existing records into)."""
    from django.core.cache import cache  # noqa: PLC0415 - kept with the look-up it caches

    from agencies.models import Agency  # noqa: PLC0415 - models import this module for the default
    from agencies.selectors import _cache_key  # noqa: PLC0415 - selectors import models

    key = _cache_key("default")
    pk = cache.get(key)
    if pk is not None:
        return pk
    pk = Agency.objects.filter(slug=default_slug()).values_list("pk", flat=True).first()
    if pk is None:  # a flushed test database, or a deployment whose first agency was renamed
        pk = Agency.objects.order_by("pk").values_list("pk", flat=True).first()
    if pk is None:
        with translation.override(settings.LANGUAGE_CODE):  # stored in the default language
            name = str(settings.BRIDGE_UNIT_NAME)
        pk = Agency.objects.create(slug=default_slug(), name=name).pk
    cache.set(key, pk, 300)
    return pk


def current_or_default_id() -> int:
    """The agency field's default: the agency being worked for, else the default agency."""
    return _current.get() or default_agency_id()
