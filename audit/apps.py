from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        # Which models django-auditlog follows is in settings (AUDITLOG_INCLUDE_TRACKING_MODELS),
        # so the ground floor never imports the apps above it.
        from . import receivers  # noqa: PLC0415 - models are ready only now

        receivers.connect()
