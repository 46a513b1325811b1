"""django-axes glue: the address a request comes from, and the page a locked-out person sees."""

import datetime as dt
import math

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q
from django.shortcuts import render
from django.utils import timezone

from audit.services import client_ip as audit_client_ip


def client_ip(request) -> str:
    # The address the rate limits and the audit trail read, the same way (behind a proxy, the
    # last address of the header it sets: the one a visitor cannot type).
    return audit_client_ip(request) or ""


def username(request, credentials) -> str:
    """The username a sign-in attempt typed, as long as the column that counts it allows (a
    form does not stop a 1,000-character one before axes records it)."""
    value = (credentials or {}).get("username")
    if value is None:
        value = request.POST.get("username", "")
    return str(value)[:150]


def lockout_response(request, original_response=None, credentials=None):
    """HTTP 429 in the reader's language: what happened, when to try again, who can help."""
    typed = username(request, credentials)
    cool_off = get_cool_off(request) or dt.timedelta(minutes=15)
    latest = AccessAttempt.objects.filter(Q(username=typed) | Q(ip_address=client_ip(request))).aggregate(
        at=Max("attempt_time")
    )["at"]
    retry_at = (latest or timezone.now()) + cool_off
    seconds = max(60, (retry_at - timezone.now()).total_seconds())
    response = render(
        request,
        "registration/locked_out.html",
        {
            "retry_at": retry_at,
            "minutes": math.ceil(seconds / 60),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
        },
        status=429,
    )
    response["Retry-After"] = str(int(seconds))
    return response
