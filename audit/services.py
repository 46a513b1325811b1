"""Writes to the audit trail. ``audit_record`` is the public API other apps call."""

import logging

logger = logging.getLogger("bridge.audit")


def audit_record(*, event: str, actor=None, target=None, request=None, data: dict | None = None):
    """Append one entry to the audit trail (who, what, when, from where)."""
    logger.info("audit %s actor=%s target=%r data=%r", event, actor, target, data)
