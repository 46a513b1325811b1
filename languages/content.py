"""Content in the reader's language, and which language it really is in.

django-modeltranslation stores one column per declared language (title_en, title_ar,
title_zh_hans). A text missing in the reader's language is looked for along the
language's declared fallback chain (registry.fallback_chain), and a translation marked
stale (its source changed since it was written: `stale_translations`) counts as missing,
so a reader never silently gets the old text. `Localized` says which language the text
came from, so a page can mark it with `lang`/`dir` and say that it is not yet translated.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

from . import registry

# The page being drawn: set by languages.middleware for each request, so whatever shows a
# fallback (a template tag, a form's option) can say so without reaching for the request.
_PAGE_FALLBACKS: ContextVar[list | None] = ContextVar("bridge_page_fallbacks", default=None)


def page_fallbacks_start():
    return _PAGE_FALLBACKS.set([])


def page_fallbacks_end(token) -> list[str]:
    shown = _PAGE_FALLBACKS.get() or []
    _PAGE_FALLBACKS.reset(token)
    return shown


def note_fallback(value: "Localized") -> None:
    """Record that the page being drawn shows `value` in another language than the reader's."""
    shown = _PAGE_FALLBACKS.get()
    if shown is not None and value.is_fallback:
        shown.append(value.language)


def column(field: str, code: str) -> str:
    """The column holding `field` in language `code`: title_zh_hans."""
    return build_localized_fieldname(field, code)


def columns(field: str) -> list[str]:
    return [column(field, code) for code in registry.CODES]


def stale_key(code: str, field: str) -> str:
    return f"{code}:{field}"


@dataclass(frozen=True)
class Localized:
    text: str
    language: str  # the language the text is written in
    wanted: str  # the reader's language

    @property
    def is_fallback(self) -> bool:
        return bool(self.text) and self.language != self.wanted

    @property
    def direction(self) -> str:
        return registry.get(self.language).direction

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def reader_language(language: str | None = None) -> str:
    return registry.get(language or translation.get_language() or settings.LANGUAGE_CODE).code


def _stale(obj) -> set[str]:
    # A queryset that deferred the list (.only() without it) is not made to fetch it row by
    # row: read_columns() names what to load.
    deferred = obj.get_deferred_fields() if hasattr(obj, "get_deferred_fields") else ()
    if "stale_translations" in deferred:
        return set()
    return set(getattr(obj, "stale_translations", None) or ())


def read_columns(field: str, relation: str = "", model=None) -> list[str]:
    """What .only() needs for localized(obj, field): every language's column and, where the
    model has one, its stale_translations list. `relation` prefixes them ("community__")."""
    names = columns(field)
    if model is None or any(f.name == "stale_translations" for f in model._meta.get_fields()):
        names.append("stale_translations")
    return [f"{relation}__{name}" if relation else name for name in names]


def _first_in_chain(read, field: str, stale: set[str], language: str | None) -> Localized:
    """The first text `read(code)` gives along the reader's fallback chain, skipping stale
    translations (the default language's text is the source: never stale)."""
    wanted = reader_language(language)
    default = settings.LANGUAGE_CODE
    for code in registry.fallback_chain(wanted, default):
        if code != default and stale_key(code, field) in stale:
            continue
        value = read(code)
        if value:
            return Localized(str(value), code, wanted)
    return Localized("", wanted, wanted)


def localized(obj, field: str, language: str | None = None) -> Localized:
    """`obj.<field>` in `language` (default: the active one), or the nearest fallback."""
    return _first_in_chain(lambda code: getattr(obj, column(field, code), None), field, _stale(obj), language)


def localized_value(values: dict, prefix: str, language: str | None = None) -> Localized:
    """The same for a row read with .values(*read_columns(field, relation)): prefix is
    "name" or "community__name"."""
    relation, _sep, field = prefix.rpartition("__")
    stale = set(values.get(f"{relation}__stale_translations" if relation else "stale_translations") or ())
    return _first_in_chain(lambda code: values.get(column(prefix, code)), field, stale, language)


def _same(a, b) -> bool:
    # A browser sends a text box back with \r\n: not a change of the text.
    def norm(v):
        return (v or "").replace("\r\n", "\n").strip()

    return norm(a) == norm(b)


def changed_sources(instance, before: dict[str, str], fields: tuple[str, ...]) -> list[str]:
    """The stale_translations list after an edit: a translation whose source (the default
    language's text) changed while it did not is marked stale; one edited now is not."""
    default = settings.LANGUAGE_CODE
    stale = set(getattr(instance, "stale_translations", None) or ())
    for name in fields:
        source_changed = not _same(
            before.get(column(name, default)), getattr(instance, column(name, default))
        )
        for code in registry.CODES:
            if code == default:
                continue
            col = column(name, code)
            key = stale_key(code, name)
            if not _same(before.get(col), getattr(instance, col)):
                stale.discard(key)
            elif source_changed and getattr(instance, col):
                stale.add(key)
    return sorted(stale)


def snapshot(instance, fields: tuple[str, ...]) -> dict[str, str]:
    """The translated columns of `fields` as they are now, for changed_sources()."""
    return {
        column(name, code): getattr(instance, column(name, code))
        for name in fields
        for code in registry.CODES
    }


def translated_columns(field: str, texts: dict[str, str]) -> dict[str, str]:
    """{"title_fr": ..., "title_zh_hans": ...} for the declared languages in `texts`."""
    return {column(field, code): text for code, text in texts.items() if code in registry.BY_CODE and text}


def fill_missing(instance, field: str, texts: dict[str, str]) -> list[str]:
    """Set the translations of `field` that are still empty; returns the columns set (for
    save(update_fields=...)). Never overwrites a text someone wrote."""
    changed = []
    for col, text in translated_columns(field, texts).items():
        if not getattr(instance, col, None):
            setattr(instance, col, text)
            changed.append(col)
    return changed
