from django.apps import AppConfig
from django.conf.locale import LANG_INFO

from .registry import django_lang_info


class LanguagesConfig(AppConfig):
    name = "languages"
    verbose_name = "Languages"

    def ready(self):
        # Django knows no Somali or Haitian Creole: without these entries get_language_info()
        # raises KeyError for them. The registry's names win for the others too, so the
        # switcher and Django agree on what a language is called.
        LANG_INFO.update(django_lang_info())
