"""Per-address rate limits on the public concern pages (django-ratelimit on the shared cache:
Redis in production via CACHE_URL, so every worker process counts the same visits)."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django_ratelimit.core import get_usage

logger = logging.getLogger(__name__)

SUBMIT = "feedback.concern-submit"
TRACK = "feedback.concern-track"


@dataclass(frozen=True)
class Limit:
    limited: bool
    retry_after: int  # seconds until the current window ends


def _rate(group: str) -> str:
    return settings.FEEDBACK_SUBMIT_RATE if group == SUBMIT else settings.FEEDBACK_TRACK_RATE


def check(request, group: str, *, increment: bool) -> Limit:
    """Count this request (when `increment`) and say whether the address is over its limit.

    Without increment it answers "would one more be too many?", so a form can refuse before
    the visitor types everything again; with it, the request itself is counted.
    """
    usage = get_usage(
        request, group=group, key="ip", rate=_rate(group), method=get_usage.ALL, increment=increment
    )
    if usage is None:  # RATELIMIT_ENABLE is off
        return Limit(False, 0)
    if usage["limit"] == 0 and usage["time_left"] == -1:
        # The cache is unreachable. A person reporting a problem must not be turned away
        # because Redis is down: fail open, and say so in the log.
        logger.warning("Rate-limit cache unavailable; %s not limited", group)
        return Limit(False, 0)
    over = usage["count"] > usage["limit"] if increment else usage["count"] >= usage["limit"]
    return Limit(over, max(1, usage["time_left"]))
