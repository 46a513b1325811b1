import logging
import os
import sys

from django.apps import AppConfig
from django.conf import settings
from rosetta.signals import entry_changed

logger = logging.getLogger("bridge")


class BridgeConfig(AppConfig):
    name = "bridge"
    verbose_name = "Bridge"

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment checks
        from .staff import translators  # not at the top: it imports models (audit's)

        # A translator's save in django-rosetta: the entry is reviewed, and audited.
        entry_changed.connect(translators.entry_reviewed, dispatch_uid="bridge.translators.entry_reviewed")
        if not settings.CELERY_BROKER_URL and _is_serving():
            logger.warning(
                "No CELERY_BROKER_URL: background tasks (notices, messages) run in-process. "
                "Set CELERY_BROKER_URL and start a worker for production."
            )


def _is_serving() -> bool:
    """True once per server start: runserver's reloader child, or a WSGI server."""
    argv = sys.argv
    if len(argv) > 1 and argv[1] == "runserver":
        return os.environ.get("RUN_MAIN") == "true" or "--noreload" in argv
    return bool(argv) and os.path.basename(argv[0]) in {"gunicorn", "uwsgi"}
