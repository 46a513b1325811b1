"""Writes to the audit trail. ``audit_record`` is the public API every app calls.

The trail is append-only: the only delete is ``audit_purge`` (retention), and PostgreSQL
refuses any other UPDATE or DELETE (see migrations/0002_append_only.py).
"""

import datetime as dt
import ipaddress
import logging
from contextvars import ContextVar

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from . import events
from .models import Entry

logger = logging.getLogger("bridge.audit")

USERNAME_MAX = 150

# The request being answered, set (and reset) by audit.middleware.AuditMiddleware, so that a
# service called without `request` still records who and from where.
current_request: ContextVar = ContextVar("audit_current_request", default=None)


def client_ip(request) -> str | None:
    """The visitor's address, read the way the rate limits read it: from the header named by
    RATELIMIT_IP_META_KEY behind a proxy (never a client-supplied X-Forwarded-For otherwise)."""
    if request is None:
        return None
    key = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    if callable(key):
        raw = key(request)
    elif "." in key:
        raw = import_string(key)(request)
    else:
        raw = request.META.get(key, "")
    # A proxy appends the address it saw: the last one is the one we can trust.
    raw = (raw or "").split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def _actor(actor, request):
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        return None
    return actor


def audit_record(
    *, event: str, actor=None, target=None, request=None, data: dict | None = None, public: bool = False
) -> Entry:
    """Append one entry to the audit trail: who (`actor`, else the request's user), what
    (`event`, one of audit.events, on `target`), when, from where (the request's address).

    `data` is stored as given (JSON): pass ids and names of things, never a password, a
    submitter's address or a concern's text."""
    request = request if request is not None else current_request.get()
    actor = _actor(actor, request)
    # A community member's own action (answering a follow-up question): the trail says it
    # happened, never from which address; they were promised no one records who they are.
    remote_addr = None if public else client_ip(request)
    entry = Entry(
        event=event,
        actor=actor,
        actor_username=actor.get_username()[:USERNAME_MAX] if actor is not None else "",
        remote_addr=remote_addr,
        data=data or {},
    )
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target)
        entry.object_pk = str(target.pk)[:64]
        entry.object_repr = str(target)[:200]
    entry.save()
    return entry


RECORD_EVENTS = {
    LogEntry.Action.CREATE: events.RECORD_CREATED,
    LogEntry.Action.UPDATE: events.RECORD_UPDATED,
    LogEntry.Action.DELETE: events.RECORD_DELETED,
    LogEntry.Action.ACCESS: events.RECORD_ACCESSED,
}


def audit_mirror_log_entry(*, log_entry: LogEntry) -> Entry:
    """Put a django-auditlog diff on the trail, so one page lists it with the events."""
    actor = log_entry.actor
    return Entry.objects.create(
        event=RECORD_EVENTS.get(log_entry.action, events.RECORD_UPDATED),
        timestamp=log_entry.timestamp,
        actor=actor,
        actor_username=actor.get_username()[:USERNAME_MAX] if actor is not None else "",
        remote_addr=log_entry.remote_addr,
        content_type_id=log_entry.content_type_id,
        object_pk=str(log_entry.object_pk)[:64],
        object_repr=(log_entry.object_repr or "")[:200],
        log_entry=log_entry,
    )


def audit_purge(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Delete trail entries older than `days` (AUDIT_RETENTION_DAYS by default), and the
    django-auditlog diffs behind them. Returns how many entries were deleted."""
    now = now or timezone.now()
    days = settings.AUDIT_RETENTION_DAYS if days is None else days
    cutoff = now - dt.timedelta(days=days)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Transaction-local: the append-only trigger lets this transaction, and only it, delete.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL bridge.audit_purge = 'on'")
        deleted, _per_model = Entry.objects.filter(timestamp__lt=cutoff).delete()
        LogEntry.objects.filter(timestamp__lt=cutoff).delete()
    if deleted:
        logger.info("Deleted %d audit entries older than %d days", deleted, days)
    return deleted
