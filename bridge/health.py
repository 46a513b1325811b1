"""Reachability of the services Bridge needs, as one-line answers an operator can act on."""

from django.conf import settings
from django.db import connection
from kombu import Connection


def database_state() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, "ok"
    except Exception as exc:  # any driver error means "unreachable" to an operator
        return False, f"database unreachable ({connection.vendor}): {_first_line(exc)}"


def broker_state() -> tuple[bool, str]:
    url = settings.CELERY_BROKER_URL
    if not url:
        return True, "not configured: tasks run in-process"
    try:
        with Connection(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        return True, "ok"
    except Exception as exc:
        return False, f"broker unreachable at {_safe_url(url)}: {_first_line(exc)}"


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__


def _safe_url(url: str) -> str:
    # Never print a password into a log or a health page.
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{':' + str(parts.port) if parts.port else ''}"
