"""Per-address rate limits on the public concern pages, in one cache round trip.

A fixed window per address and group, counted in the shared cache (Redis in production via
CACHE_URL, so every worker process counts the same visits). `hit` counts a request and answers
in a single pipelined INCR + EXPIRE NX on Redis; other caches (the first run's local memory)
use add + incr. The rates use django-ratelimit's syntax ("5/h", "30/10m"), as the other
limits in Bridge (sign-ups, password resets) do through django-ratelimit itself.

Cache keys hold a hash of the address, never the address.
"""

import datetime as dt
import hashlib
import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from agencies import conf
from agencies import context as agency_context
from audit.services import client_ip

logger = logging.getLogger(__name__)

SUBMIT = "feedback.concern-submit"
TRACK = "feedback.concern-track"
# The anonymous survey (surveys/): after a meeting and the trust pulse.
SURVEY = "surveys.answer"
# Each group's rate: the agency's own (agencies.conf.rate, falling back to the setting) or,
# for the survey, the deployment's setting.
RATES = {
    SUBMIT: ("submit", "FEEDBACK_SUBMIT_RATE"),
    TRACK: ("track", "FEEDBACK_TRACK_RATE"),
    SURVEY: (None, "SURVEY_SUBMIT_RATE"),
}
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Limit:
    limited: bool
    retry_after: int  # seconds until the current window ends


def _rate(group: str, request=None) -> tuple[int, int]:
    """(requests, seconds) from "5/h" or "30/10m"."""
    name, setting = RATES[group]
    # The request's agency, already loaded: no cache round trip beside the count itself. With
    # no agency at all (a request made outside the middleware), the deployment's rate.
    agency = getattr(request, "agency", None)
    if name and (agency is not None or agency_context.current_id() is not None):
        text = conf.rate(name, agency=agency)
    else:
        text = getattr(settings, setting)
    count, per = text.split("/")
    digits = per[:-1] or "1"
    return int(count), int(digits) * UNITS[per[-1]]


def _agency(request=None) -> int:
    agency = getattr(request, "agency", None)
    return agency.pk if agency is not None else (agency_context.current_id() or 0)


def _visitor(request) -> str:
    """The address the limit counts: one IPv4 address, or one IPv6 /64 (one household)."""
    raw = client_ip(request) or "unknown"
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def first_time(request, group: str, what: str, seconds: int) -> bool:
    """True the first time this address sends `what` (a digest of a whole answer) within
    `seconds`, False for the same thing again: a double click, a resent form, a burst of
    copies. Fails open, as `hit` does."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{_visitor(request)}:{what}".encode()).hexdigest()[:32]
    try:
        return bool(caches["default"].add(f"once:{group}:{_agency(request)}:{digest}", 1, seconds))
    except Exception:
        logger.warning("Rate-limit cache unavailable; %s not checked for copies", group)
        return True


def refused(request, limit: Limit, *, template="feedback/rate_limited.html", **context) -> HttpResponse:
    """The 429 page in the visitor's language, saying when to try again; a form's template
    keeps what was typed (the public forms of feedback and surveys use it)."""
    context["rate_limit"] = {
        "minutes": max(1, math.ceil(limit.retry_after / 60)),
        "retry_at": timezone.now() + dt.timedelta(seconds=limit.retry_after),
    }
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(limit.retry_after)
    return response


def _count(key: str, ttl: int) -> int:
    """Add one to `key` (made with a time to live of `ttl` seconds) and return the new count."""
    cache = caches["default"]  # the backend itself (django.core.cache.cache is a proxy)
    if isinstance(cache, RedisCache):
        name = cache.make_and_validate_key(key)
        client = cache._cache.get_client(name, write=True)
        with client.pipeline(transaction=False) as pipe:  # one round trip
            pipe.incr(name)
            pipe.expire(name, ttl, nx=True)
            count, _ = pipe.execute()
        return int(count)
    cache.add(key, 0, ttl)
    return cache.incr(key)


def hit(request, group: str) -> Limit:
    """Count this request and say whether its address is now over the limit."""
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return Limit(False, 0)
    limit, period = _rate(group, request)
    now = time.time()
    window = int(now // period)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{_visitor(request)}".encode()).hexdigest()[:32]
    # Per agency: one agency's visitors never spend another's budget.
    key = f"ratelimit:{group}:{_agency(request)}:{digest}:{window}"
    retry_after = max(1, int((window + 1) * period - now))
    try:
        count = _count(key, period + 1)
    except Exception:
        # The cache is unreachable. A person reporting a problem must not be turned away
        # because Redis is down: fail open, and say so in the log.
        logger.warning("Rate-limit cache unavailable; %s not limited", group)
        return Limit(False, 0)
    return Limit(count > limit, retry_after)
