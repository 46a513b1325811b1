"""Every UI string is translated in every language: no empty, no fuzzy entries."""

from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


def parse_po(path: Path):
    """Yield (msgid, [msgstr...], flags) for each entry except the header."""
    entries, cur, field = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if cur and cur["msgid"]:
                entries.append(cur)
            cur, field = None, None
            continue
        if cur is None:
            cur = {"msgid": "", "msgstr": {}, "flags": ""}
        if line.startswith("#,"):
            cur["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural"):
            field = ("plural", None)
        elif line.startswith("msgid "):
            field = ("msgid", None)
            cur["msgid"] += eval(line[6:])  # noqa: S307 - a quoted .po string
        elif line.startswith("msgstr"):
            key = line.split(" ", 1)[0]
            field = ("msgstr", key)
            cur["msgstr"][key] = eval(line.split(" ", 1)[1])  # noqa: S307
        elif line.startswith('"'):
            if field and field[0] == "msgid":
                cur["msgid"] += eval(line)  # noqa: S307
            elif field and field[0] == "msgstr":
                cur["msgstr"][field[1]] += eval(line)  # noqa: S307
    return entries


@pytest.mark.parametrize("code", [c for c, _ in settings.LANGUAGES if c != "en"])
def test_translations_catalogue_has_no_empty_or_fuzzy_entry(code):
    po = LOCALE / code / "LC_MESSAGES" / "django.po"
    assert po.exists(), f"missing {po}"
    text = po.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    entries = parse_po(po)
    assert len(entries) > 50
    empty = [e["msgid"] for e in entries if any(not v for v in e["msgstr"].values())]
    assert empty == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "text"),
    [("es", "911"), ("ar", "911"), ("ne", "911")],
)
def test_translations_home_page_is_in_the_visitors_language(client, code, text):
    from django.utils import translation

    html = client.get(f"/{code}/").content.decode()
    with translation.override(code):
        expected = translation.gettext("We never ask about immigration status.")
    assert expected != "We never ask about immigration status."
    assert expected in html
    assert text in html
