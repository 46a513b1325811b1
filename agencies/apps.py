from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Agencies")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from agencies import receivers  # noqa: F401 - connects Celery's publish/run signals
