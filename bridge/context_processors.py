from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info


def site(request):
    """The language switcher: each language named in itself, linking to this same page."""
    path = request.get_full_path()
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name_local": info["name_local"][:1].upper() + info["name_local"][1:],
                "bidi": info["bidi"],
                "url": translate_url(path, code),
            }
        )
    return {
        "language_links": links,
        "unit_name": settings.BRIDGE_UNIT_NAME,
        "emergency_number": settings.EMERGENCY_NUMBER,
    }
