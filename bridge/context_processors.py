from django.conf import settings
from django.utils import translation

from languages import registry


def language_choices() -> list[dict]:
    """Every declared language, named in itself, for the language switcher."""
    return [
        {"code": lang.code, "name_local": lang.name_local, "direction": lang.direction}
        for lang in registry.LANGUAGES
    ]


def site(request):
    script = registry.get(translation.get_language()).script
    return {
        "language_choices": language_choices(),
        "language_script": script,
        "font_stylesheets": registry.font_stylesheets(script),
        "unit_name": settings.BRIDGE_UNIT_NAME,
        "emergency_number": settings.EMERGENCY_NUMBER,
    }
