"""The one place a UI language is declared.

Everything else reads this list: settings (LANGUAGES, LANGUAGES_BIDI, the fallback chains
of django-modeltranslation), Django's language info for the languages it does not know,
right-to-left handling, the fonts a page loads, the language switcher, date and number
formats (through the CLDR locale Babel uses) and how an SMS is budgeted.

Adding a seventeenth language (README, "Adding a language"):
  1. one `Language(...)` line below;
  2. its catalogue: `make messages`, then translate locale/<locale>/LC_MESSAGES/django.po;
  3. its content columns: `make language-migrations` (makemigrations for the translated
     fields, then migrate).
tests/languages/test_registry.py fails until all three are done.

This module imports nothing from Django, so settings can import it.
"""

from dataclasses import dataclass, field


def gettext_noop(message: str) -> str:
    """Marks a name for the catalogue (makemessages extracts gettext_noop); it is translated
    where it is shown."""
    return message


GSM7 = "GSM-7"  # 160 characters in one SMS segment
UCS2 = "UCS-2"  # 70: every script but plain Latin, and Latin with letters GSM-7 lacks


@dataclass(frozen=True)
class Language:
    code: str  # Django's code, as in the URL: "zh-hans", "pt-br"
    name: str  # in English, for logs and Django's language info
    name_local: str  # in itself, for a person choosing their own language
    script: str  # ISO 15924: Latn, Arab, Deva, Beng, Mymr, Hans
    cldr: str  # the CLDR locale Babel formats dates and numbers with
    plural_forms: str  # the gettext Plural-Forms header its catalogue must carry
    sms_alphabet: str = GSM7  # the alphabet its notices usually need
    bidi: bool = False
    # Languages tried, in order, before the deployment's default when a text is missing
    # (only those declared here count). "pt-br" would try "pt" if a unit added it.
    fallback: tuple[str, ...] = field(default=())

    @property
    def locale(self) -> str:
        """The folder name under locale/: zh_Hans, pt_BR."""
        lang, _, region = self.code.partition("-")
        if not region:
            return lang
        return f"{lang}_{region.title() if len(region) > 2 else region.upper()}"

    @property
    def field_suffix(self) -> str:
        """django-modeltranslation's column suffix: title_zh_hans."""
        return self.code.replace("-", "_")

    @property
    def direction(self) -> str:
        return "rtl" if self.bidi else "ltr"


_ONE = "nplurals=2; plural=(n != 1);"
_ZERO_ONE = "nplurals=2; plural=(n > 1);"
_NONE = "nplurals=1; plural=0;"
_ARABIC = (
    "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 && n%100<=99 ? 4 : 5;"
)

LANGUAGES: tuple[Language, ...] = (
    Language("en", gettext_noop("English"), "English", "Latn", "en_US", _ONE),
    Language("es", gettext_noop("Spanish"), "Español", "Latn", "es_US", _ONE, UCS2),
    Language("ar", gettext_noop("Arabic"), "العربية", "Arab", "ar", _ARABIC, UCS2, bidi=True),
    Language("ne", gettext_noop("Nepali"), "नेपाली", "Deva", "ne", _ONE, UCS2),
    Language("fr", gettext_noop("French"), "Français", "Latn", "fr", _ZERO_ONE, UCS2),
    Language("sw", gettext_noop("Swahili"), "Kiswahili", "Latn", "sw", _ONE),
    Language("so", gettext_noop("Somali"), "Soomaali", "Latn", "so", _ONE),
    Language("vi", gettext_noop("Vietnamese"), "Tiếng Việt", "Latn", "vi", _NONE, UCS2),
    Language("zh-hans", gettext_noop("Simplified Chinese"), "简体中文", "Hans", "zh_Hans", _NONE, UCS2),
    Language(
        "pt-br",
        gettext_noop("Brazilian Portuguese"),
        "Português (Brasil)",
        "Latn",
        "pt_BR",
        _ZERO_ONE,
        UCS2,
        fallback=("pt",),
    ),
    # Many Haitians also read French: a Haitian Creole reader sees French before English.
    Language("ht", gettext_noop("Haitian Creole"), "Kreyòl ayisyen", "Latn", "ht", _ONE, fallback=("fr",)),
    Language("ur", gettext_noop("Urdu"), "اردو", "Aran", "ur", _ONE, UCS2, bidi=True),
    Language("fa", gettext_noop("Dari/Farsi"), "دری / فارسی", "Arab", "fa", _ZERO_ONE, UCS2, bidi=True),
    Language("bn", gettext_noop("Bengali"), "বাংলা", "Beng", "bn", _ZERO_ONE, UCS2),
    Language("my", gettext_noop("Burmese"), "မြန်မာ", "Mymr", "my", _NONE, UCS2),
    Language("sq", gettext_noop("Albanian"), "Shqip", "Latn", "sq", _ONE, UCS2),
)

# The font a script is drawn with when the device has none (Fontsource's Noto families from
# npm, served by the app; each @font-face has a unicode-range, so a browser downloads only
# the parts of a font for the characters a page uses). Aran is Arabic script in the
# Nastaliq style Urdu readers expect.
SCRIPT_FONTS = {
    "Latn": ("Noto Sans", "noto-sans"),
    "Arab": ("Noto Sans Arabic", "noto-sans-arabic"),
    "Aran": ("Noto Nastaliq Urdu", "noto-nastaliq-urdu"),
    "Deva": ("Noto Sans Devanagari", "noto-sans-devanagari"),
    "Beng": ("Noto Sans Bengali", "noto-sans-bengali"),
    "Mymr": ("Noto Sans Myanmar", "noto-sans-myanmar"),
    "Hans": ("Noto Sans SC", "noto-sans-sc"),
}
FONT_WEIGHTS = (400, 700)
LARGE_STYLESHEETS = {"Hans"}

BY_CODE = {lang.code: lang for lang in LANGUAGES}
CODES = tuple(BY_CODE)


def get(code: str | None) -> Language:
    """The declared language for `code` (or its base language), else the first one."""
    if code in BY_CODE:
        return BY_CODE[code]
    base = (code or "").split("-")[0]
    return BY_CODE.get(base, LANGUAGES[0])


def fallback_chain(code: str, default: str) -> tuple[str, ...]:
    """Where a missing text is looked for: the language, its declared fallbacks, the default."""
    chain = [code, *(c for c in get(code).fallback if c in BY_CODE), default]
    return tuple(dict.fromkeys(chain))


def django_languages(gettext=lambda s: s) -> list[tuple[str, str]]:
    return [(lang.code, gettext(lang.name)) for lang in LANGUAGES]


def django_lang_info() -> dict[str, dict]:
    """Entries for django.conf.locale.LANG_INFO, so get_language_info() knows every code."""
    return {
        lang.code: {"bidi": lang.bidi, "code": lang.code, "name": lang.name, "name_local": lang.name_local}
        for lang in LANGUAGES
    }


def bidi_codes() -> list[str]:
    return [lang.code for lang in LANGUAGES if lang.bidi]


def modeltranslation_fallbacks(default: str) -> dict[str, tuple[str, ...]]:
    chains = {"default": (default,)}
    for lang in LANGUAGES:
        chain = fallback_chain(lang.code, default)[1:]
        if chain != (default,):
            chains[lang.code] = chain
    return chains


def font_stylesheets(page_script: str = "Latn") -> list[str]:
    """Static paths of the font stylesheets a page links: every declared script's, since the
    language switcher names every language in its own script - except a script whose
    stylesheet alone is large (Chinese: 100 unicode-range faces, 105 kB a weight), linked
    only on its own pages; elsewhere its few switcher characters use the device's font."""
    scripts = dict.fromkeys(lang.script for lang in LANGUAGES)
    packages = [SCRIPT_FONTS[s][1] for s in scripts if s not in LARGE_STYLESHEETS or s == page_script]
    return [f"vendor/fonts/{package}/{weight}.css" for package in packages for weight in FONT_WEIGHTS]
