"""How much of each declared language is translated, and how much a person has reviewed.

An entry is translated when every msgstr is filled and it is not fuzzy; reviewed when it is
translated and no longer carries the "# machine-assisted" comment (a translator removes it,
or django-rosetta does when a translator saves the entry).
"""

from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings

from . import registry

MACHINE_MARK = "machine-assisted"
SOURCE = "en"  # the msgids are written in English, whatever default language a unit runs in


@dataclass(frozen=True)
class CatalogueStatus:
    language: registry.Language
    entries: int
    translated: int
    reviewed: int
    fuzzy: int

    @property
    def translated_percent(self) -> int:
        return round(100 * self.translated / self.entries) if self.entries else 0

    @property
    def reviewed_percent(self) -> int:
        return round(100 * self.reviewed / self.entries) if self.entries else 0


def catalogue_path(lang: registry.Language) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / lang.locale / "LC_MESSAGES" / "django.po"


def is_translated(entry: polib.POEntry) -> bool:
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def catalogue_status(lang: registry.Language) -> CatalogueStatus:
    if lang.code == SOURCE:
        # The source language: every string is written in it by the developers.
        po = polib.pofile(str(catalogue_path(registry.get("es"))))
        n = len([e for e in po if not e.obsolete])
        return CatalogueStatus(lang, n, n, n, 0)
    po = polib.pofile(str(catalogue_path(lang)))
    entries = [e for e in po if not e.obsolete]
    translated = [e for e in entries if is_translated(e)]
    reviewed = [e for e in translated if MACHINE_MARK not in (e.tcomment or "")]
    fuzzy = [e for e in entries if "fuzzy" in e.flags]
    return CatalogueStatus(lang, len(entries), len(translated), len(reviewed), len(fuzzy))


def status_table() -> str:
    """The README's table (Markdown), one row per declared language."""
    rows = [
        "| Language | Code | Direction | Translated | Reviewed by a person |",
        "|---|---|---|---|---|",
    ]
    for lang in registry.LANGUAGES:
        st = catalogue_status(lang)
        if lang.code == SOURCE:
            rows.append(f"| {lang.name} | `en` | ltr | the source language ({st.entries} strings) | — |")
            continue
        rows.append(
            f"| {lang.name} ({lang.name_local}) | `{lang.code}` | {lang.direction} | "
            f"{st.translated_percent} % ({st.translated}/{st.entries}) | "
            f"{st.reviewed_percent} % ({st.reviewed}/{st.entries}) |"
        )
    return "\n".join(rows)
