"""Told after a coordinator changed their agency's settings. The ground floor imports no app,
and the audit trail imports agencies: audit listens here and records the change."""

from django.dispatch import Signal

# sender=Agency; agency=, actor=, changed= (the names of the fields that changed).
settings_changed = Signal()
