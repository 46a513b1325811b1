"""Languages spoken in the communities a unit serves, by ISO 639 code.

Names are translated UI strings, so a list shows "Nepali", "Nepalí" or "النيبالية" to each
reader; `name_local` is the language's name in itself, for a person choosing their own.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from languages import registry

LANGUAGES = [
    ("en", _("English"), "English"),
    ("es", _("Spanish"), "Español"),
    ("ar", _("Arabic"), "العربية"),
    ("ne", _("Nepali"), "नेपाली"),
    ("fr", _("French"), "Français"),
    ("sw", _("Swahili"), "Kiswahili"),
    ("ln", _("Lingala"), "Lingála"),
    ("rw", _("Kinyarwanda"), "Ikinyarwanda"),
    ("so", _("Somali"), "Soomaali"),
    ("am", _("Amharic"), "አማርኛ"),
    ("ti", _("Tigrinya"), "ትግርኛ"),
    ("bs", _("Bosnian"), "Bosanski"),
    ("sq", _("Albanian"), "Shqip"),
    ("uk", _("Ukrainian"), "Українська"),
    ("ru", _("Russian"), "Русский"),
    ("zh", _("Chinese"), "中文"),
    ("vi", _("Vietnamese"), "Tiếng Việt"),
    ("ko", _("Korean"), "한국어"),
    ("my", _("Burmese"), "မြန်မာ"),
    ("kar", _("Karen"), "ကညီ"),
    ("hi", _("Hindi"), "हिन्दी"),
    ("ur", _("Urdu"), "اردو"),
    ("bn", _("Bengali"), "বাংলা"),
    ("ps", _("Pashto"), "پښتو"),
    ("fa", _("Dari/Farsi"), "دری / فارسی"),
    ("ku", _("Kurdish"), "Kurdî"),
    ("ht", _("Haitian Creole"), "Kreyòl ayisyen"),
    ("pt", _("Portuguese"), "Português"),
    ("tl", _("Tagalog"), "Tagalog"),
    ("asl", _("American Sign Language"), "ASL"),
]

LANGUAGE_CHOICES = [(code, name) for code, name, _local in LANGUAGES]
_NAMES = {code: name for code, name, _local in LANGUAGES}
_LOCAL = {code: local for code, _name, local in LANGUAGES}


def language_name(code: str) -> str:
    if code in _NAMES:
        return str(_NAMES[code])
    if code in registry.BY_CODE:  # a UI language such as zh-hans or pt-br
        return gettext(registry.BY_CODE[code].name)
    return code


def language_name_local(code: str) -> str:
    if code in _LOCAL:
        return _LOCAL[code]
    if code in registry.BY_CODE:
        return registry.BY_CODE[code].name_local
    return code
