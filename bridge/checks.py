"""Deployment checks of our own (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks

# Caches that are not one store shared by every process: each gunicorn worker and each
# application server would count its own rate limits (and keep its own agency look-ups).
NOT_SHARED = {
    "django.core.cache.backends.locmem.LocMemCache": "keeps its counts in each process's memory",
    "django.core.cache.backends.dummy.DummyCache": "stores nothing",
    "django.core.cache.backends.filebased.FileBasedCache": "cannot count atomically",
    "django.core.cache.backends.db.DatabaseCache": "cannot count atomically",
}


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in NOT_SHARED:
        return []
    return [
        checks.Warning(
            f"The cache ({backend}) {NOT_SHARED[backend]}: the rate limits on public forms, "
            "password resets and the API would not hold across processes and servers.",
            hint="Set CACHE_URL to the deployment's Redis, the same on every application server "
            "(e.g. redis://127.0.0.1:6379/1).",
            id="bridge.W001",
        )
    ]
