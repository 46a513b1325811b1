"""One registry declares every UI language; each declared language is complete: catalogue,
plural forms, content columns, Django's language info, dates, fonts and fallbacks."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import polib
import pytest
from babel import Locale, dates
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language_info
from modeltranslation.translator import translator

from languages import content, formatting, registry
from languages.status import catalogue_path, is_translated, status_table

CODES = registry.CODES
TRANSLATED = [c for c in CODES if c != "en"]
ROOT = Path(settings.BASE_DIR)


def test_registry_declares_the_sixteen_languages_of_the_field_reports():
    assert set(CODES) == {
        "en", "es", "ar", "ne", "fr", "sw", "so", "vi", "zh-hans", "pt-br", "ht", "ur", "fa", "bn", "my", "sq",
    }  # fmt: skip
    assert [lang.code for lang in registry.LANGUAGES if lang.bidi] == ["ar", "ur", "fa"]


def test_registry_drives_django_settings():
    assert [c for c, _name in settings.LANGUAGES] == list(CODES)
    assert sorted(settings.LANGUAGES_BIDI) == ["ar", "fa", "ur"]
    assert settings.MODELTRANSLATION_FALLBACK_LANGUAGES["ht"] == ("fr", settings.LANGUAGE_CODE)


@pytest.mark.parametrize("code", CODES)
def test_registry_language_is_known_to_django_and_named_in_itself(code):
    info = get_language_info(code)  # raised KeyError for so and ht before the registry
    assert info["name_local"] == registry.get(code).name_local
    assert info["bidi"] == registry.get(code).bidi
    with translation.override(code):
        assert translation.get_language() == code
        assert translation.get_language_bidi() == registry.get(code).bidi


@pytest.mark.parametrize("code", TRANSLATED)
def test_registry_catalogue_is_complete_with_its_plural_forms(code):
    lang = registry.get(code)
    path = catalogue_path(lang)
    assert path.exists(), f"missing {path}: run `make messages` and translate it"
    po = polib.pofile(str(path))
    assert po.metadata["Plural-Forms"].replace(" ", "") == lang.plural_forms.replace(" ", "")
    assert not po.metadata_is_fuzzy, "a fuzzy header is skipped by msgfmt: its plural forms would be lost"
    entries = [e for e in po if not e.obsolete]
    assert len(entries) > 900
    # "fuzzy" among other flags (#, python-format, fuzzy) counts too.
    assert [e.msgid for e in entries if "fuzzy" in e.flags] == []
    assert [e.msgid for e in entries if not is_translated(e)] == []
    nplurals = int(lang.plural_forms.split("nplurals=")[1].split(";")[0])
    assert {len(e.msgstr_plural) for e in entries if e.msgid_plural} == {nplurals}


@pytest.mark.parametrize("code", TRANSLATED)
def test_registry_catalogue_keeps_every_placeholder(code):
    import re

    shape = re.compile(r"%\([a-z_0-9]+\)[sdif]|\{[a-z_0-9]+\}")
    po = polib.pofile(str(catalogue_path(registry.get(code))))
    wrong = [
        e.msgid
        for e in po
        if not e.msgid_plural
        and e.msgstr
        and sorted(shape.findall(e.msgid)) != sorted(shape.findall(e.msgstr))
    ]
    assert wrong == []


def test_registry_every_translated_field_has_a_column_per_language():
    missing = []
    for model in translator.get_registered_models():
        db_columns = {f.column for f in model._meta.concrete_fields}
        for field in translator.get_options_for_model(model).fields:
            missing += [f"{model.__name__}.{c}" for c in content.columns(field) if c not in db_columns]
    assert missing == [], "run `make language-migrations`"


def test_registry_content_columns_exist_in_the_database(db):
    from django.db import connection

    model = apps.get_model("outreach", "OutreachEvent")
    with connection.cursor() as cursor:
        names = {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}
    assert {f"title_{lang.field_suffix}" for lang in registry.LANGUAGES} <= names


def test_registry_fallback_chains():
    assert registry.fallback_chain("ht", "en") == ("ht", "fr", "en")
    assert registry.fallback_chain("pt-br", "en") == ("pt-br", "en")  # pt is not declared
    assert registry.fallback_chain("fa", "en") == ("fa", "en")
    assert registry.fallback_chain("en", "en") == ("en",)
    assert registry.fallback_chain("ur", "es") == ("ur", "es")  # a deployment's own default


@pytest.mark.parametrize("code", CODES)
def test_registry_dates_are_written_as_a_reader_of_the_language_writes_them(code):
    tz = ZoneInfo("America/New_York")
    start = dt.datetime(2027, 1, 12, 18, 0, tzinfo=tz)  # a Tuesday in January
    text = formatting.format_when(start, start + dt.timedelta(minutes=90), "America/New_York", code)
    lang = registry.get(code)
    cldr = Locale.parse("fr" if code == "ht" else lang.cldr)
    if code == "ht":
        assert "madi" in text and "janvye" in text
    else:
        assert dates.format_date(start.date(), "full", locale=cldr) in text  # weekday, day, month, year
        assert cldr.days["format"]["wide"][1] in text  # Tuesday, in the language
    assert "2027" in text
    if lang.bidi:
        assert ", " not in text, "a Latin comma on a right-to-left page"
    short = formatting.format_when(
        start, start + dt.timedelta(minutes=90), "America/New_York", code, short=True
    )
    assert len(short) < len(text)


@pytest.mark.parametrize("code", ["so", "ht", "my", "ur"])
def test_registry_numbers_and_date_filters_work_where_django_has_no_formats(code):
    with translation.override(code):
        assert formatting.format_number(12345) not in ("", None)
        assert formatting.format_date(dt.date(2027, 1, 12), "long")


@pytest.mark.parametrize("code", CODES)
def test_registry_every_script_has_a_served_font_and_a_style(code):
    lang = registry.get(code)
    family, package = registry.SCRIPT_FONTS[lang.script]
    for weight in registry.FONT_WEIGHTS:
        css = ROOT / "node_modules" / "@fontsource" / package / f"{weight}.css"
        assert css.exists(), f"npm package @fontsource/{package} missing"
        assert "unicode-range" in css.read_text()
    style = (ROOT / "static" / "css" / "bridge.css").read_text()
    assert family in style
    if lang.script != "Latn":
        assert f"html.script-{lang.script}" in style


def test_registry_readme_table_is_up_to_date():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert status_table() in readme, (
        "run `.venv/bin/python manage.py translation_status` and paste it into the README"
    )


@pytest.mark.django_db
def test_registry_pages_link_every_small_font_and_the_chinese_one_only_on_chinese_pages(client):
    english = client.get("/en/").content.decode()
    chinese = client.get("/zh-hans/").content.decode()
    for package in ("noto-sans-arabic", "noto-nastaliq-urdu", "noto-sans-devanagari", "noto-sans-myanmar"):
        assert f"vendor/fonts/{package}/400.css" in english
    assert "noto-sans-sc" not in english
    assert "vendor/fonts/noto-sans-sc/400.css" in chinese and 'class="script-Hans"' in chinese
