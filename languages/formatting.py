"""Dates, times and numbers as a reader of each declared language writes them, from CLDR
data through Babel (Django has no formats for Somali, Haitian Creole, Burmese...).

Every function takes the language (default: the active one) and, for moments, the time zone
they are shown in. The parts are joined with the locale's own pattern, so an Arabic or Urdu
date never gets a Latin comma.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from babel import Locale, dates, lists, numbers
from django.conf import settings
from django.utils import timezone, translation

from . import registry

# CLDR knows Haitian Creole's name but not its month and day names: it is formatted with
# French patterns (the closest, and the one Haitian schools teach), then the French names
# are replaced by the Creole ones.
_HT_WORDS = {
    "lundi": "lendi",
    "mardi": "madi",
    "mercredi": "mèkredi",
    "jeudi": "jedi",
    "vendredi": "vandredi",
    "samedi": "samdi",
    "dimanche": "dimanch",
    "janvier": "janvye",
    "février": "fevriye",
    "mars": "mas",
    "avril": "avril",
    "mai": "me",
    "juin": "jen",
    "juillet": "jiyè",
    "août": "out",
    "septembre": "septanm",
    "octobre": "oktòb",
    "novembre": "novanm",
    "décembre": "desanm",
    "lun.": "len.",
    "mar.": "mad.",
    "mer.": "mèk.",
    "jeu.": "jed.",
    "ven.": "van.",
    "sam.": "sam.",
    "dim.": "dim.",
    "janv.": "jan.",
    "févr.": "fev.",
    "avr.": "avr.",
    "juil.": "jiy.",
    "sept.": "sept.",
    "oct.": "okt.",
    "nov.": "nov.",
    "déc.": "des.",
    "et": "ak",  # lists: "A, B ak C"
    "heure normale de l’Est nord-américain": "lè nòmal Lès",
    "heure d’été de l’Est nord-américain": "lè ete Lès",
    "heure normale du centre nord-américain": "lè nòmal Santral",
    "heure d’été du Centre nord-américain": "lè ete Santral",
    "heure normale des Rocheuses": "lè nòmal Mòn yo",
    "heure d’été des Rocheuses": "lè ete Mòn yo",
    "heure normale du Pacifique nord-américain": "lè nòmal Pasifik",
    "heure d’été du Pacifique nord-américain": "lè ete Pasifik",
}
_BORROWED = {"ht": ("fr", _HT_WORDS)}


def _language(language: str | None) -> registry.Language:
    return registry.get(language or translation.get_language() or settings.LANGUAGE_CODE)


def _locale(language: str | None) -> tuple[Locale, dict]:
    lang = _language(language)
    cldr, words = _BORROWED.get(lang.code, (lang.cldr, {}))
    return Locale.parse(cldr), words


def _words(text: str, words: dict) -> str:
    """French names replaced by Creole ones, as whole words ("mars" the month, never inside
    another word), longest first ("mardi" before "mar.")."""
    if not words:
        return text
    pattern = _WORD_PATTERNS.get(id(words))
    if pattern is None:
        alternatives = sorted(words, key=len, reverse=True)
        pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in alternatives) + r")(?!\w)")
        _WORD_PATTERNS[id(words)] = pattern
    return pattern.sub(lambda m: words[m.group(1)], text)


_WORD_PATTERNS: dict[int, re.Pattern] = {}


def _zone(tz_name: str | None) -> ZoneInfo:
    return ZoneInfo(tz_name or timezone.get_current_timezone_name())  # the agency's, in a request


def _local(value: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value, tz)
    return value.astimezone(tz)


def _glue(locale: Locale, date_text: str, time_text: str, width: str = "medium") -> str:
    """The locale's own way of putting a date and a time together ("{1}، {0}")."""
    pattern = str(locale.datetime_formats.get(width) or "{1} {0}")
    pattern = pattern.replace("'", "")
    return pattern.replace("{1}", date_text).replace("{0}", time_text)


def _time_skeleton(locale: Locale) -> str:
    return "hm" if "h" in locale.time_formats["short"].pattern else "Hm"


def format_date(value, width: str = "long", language: str | None = None, tz_name: str | None = None) -> str:
    """A date (or the local date of a moment): width is full, long, medium or short."""
    if value in (None, ""):
        return ""
    locale, words = _locale(language)
    if isinstance(value, dt.datetime):
        value = _local(value, _zone(tz_name)).date()
    return _words(dates.format_date(value, width, locale=locale), words)


def format_time(value, language: str | None = None, tz_name: str | None = None) -> str:
    if value in (None, ""):
        return ""
    locale, words = _locale(language)
    if isinstance(value, dt.datetime):
        value = _local(value, _zone(tz_name))
    return _words(dates.format_time(value, "short", locale=locale), words)


def format_datetime(
    value, width: str = "medium", language: str | None = None, tz_name: str | None = None
) -> str:
    """Date and time of a moment, in the deployment's zone unless told otherwise."""
    if value in (None, ""):
        return ""
    locale, words = _locale(language)
    local = _local(value, _zone(tz_name))
    day = dates.format_date(local.date(), width, locale=locale)
    clock = dates.format_time(local, "short", locale=locale)
    return _words(_glue(locale, day, clock, width), words)


def zone_name(
    value: dt.datetime, tz_name: str | None = None, language: str | None = None, short=False
) -> str:
    """'Eastern Standard Time' in the reader's language; short: 'EST' or 'GMT-5'."""
    locale, words = _locale(language)
    tz = _zone(tz_name)
    local = _local(value, tz)
    if short:
        abbreviation = dates.format_datetime(local, "z", tzinfo=tz, locale=locale)
        if abbreviation.isalpha():
            return abbreviation
        return dates.get_timezone_gmt(local, "long", locale=locale)
    return _words(dates.format_datetime(local, "zzzz", tzinfo=tz, locale=locale), words)


def format_when(
    start: dt.datetime,
    end: dt.datetime | None,
    tz_name: str | None,
    language: str | None = None,
    *,
    short: bool = False,
) -> str:
    """'Tuesday, December 8, 2026, 6:00 – 7:30 PM Eastern Standard Time' in the reader's
    language: weekday, day, month, the time range and the zone, joined the locale's way.
    `short` (for SMS): the medium date and a short zone name."""
    locale, words = _locale(language)
    tz = _zone(tz_name)
    local_start = _local(start, tz)
    if short:
        day = dates.format_skeleton("MMMEd", local_start, locale=locale)
    else:
        day = dates.format_date(local_start.date(), "full", locale=locale)
    if end is None:
        clock = dates.format_time(local_start, "short", locale=locale)
    else:
        local_end = _local(end, tz)
        if local_end.date() == local_start.date():
            clock = dates.format_interval(
                local_start, local_end, _time_skeleton(locale), tzinfo=tz, locale=locale
            )
        else:
            # Past midnight: the end's day the way the start's is written, and its time
            # without seconds ("10:00 PM – Wed, Dec 2, 12:30 AM"), not a numeric date.
            if short:
                end_day = dates.format_skeleton("MMMEd", local_end, locale=locale)
            else:
                end_day = dates.format_date(local_end.date(), "full", locale=locale)
            until = _glue(locale, end_day, dates.format_time(local_end, "short", locale=locale), "medium")
            clock = f"{dates.format_time(local_start, 'short', locale=locale)} – {until}"
    text = _glue(locale, day, clock, "medium" if short else "full")
    return _words(f"{text} {zone_name(start, tz_name, language, short=short)}", words)


def format_number(value, language: str | None = None) -> str:
    if value in (None, ""):
        return ""
    locale, _words_unused = _locale(language)
    return numbers.format_decimal(value, locale=locale)


def format_percent(value, language: str | None = None) -> str:
    locale, _words_unused = _locale(language)
    return numbers.format_percent(value, locale=locale)


def format_list(items: list[str], language: str | None = None, style: str = "standard") -> str:
    """Names joined the language's way: a Latin ", " never lands in Arabic, Urdu or Chinese."""
    items = [str(i) for i in items if str(i)]
    if not items:
        return ""
    locale, words = _locale(language)
    return _words(lists.format_list(items, style=style, locale=locale), words)
