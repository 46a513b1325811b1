"""Content in another language than the reader's is never silent: it carries its own lang
and dir, and the page or message says once that some text is not yet translated."""

import pytest
from django.utils import translation

from languages import content
from outreach.notices import build_notices
from tests.factories import CommunityFactory, OutreachEventFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def _english_only_community(name):
    # Created in English whatever language the last request left active (modeltranslation
    # writes `name` into the active language's column).
    with translation.override("en"):
        return CommunityFactory(name=name)


NOTE_FR = "fallback-note"


def test_fallback_follows_the_declared_chain_and_says_which_language():
    event = OutreachEventFactory(title_en="Know your rights", title_fr="Connaître vos droits")
    assert content.localized(event, "title", "fr") == content.Localized("Connaître vos droits", "fr", "fr")
    # Haitian Creole -> French -> the default; Farsi -> the default.
    assert content.localized(event, "title", "ht").language == "fr"
    assert content.localized(event, "title", "fa").language == "en"
    assert content.localized(event, "title", "fa").is_fallback


def test_fallback_stale_translation_is_shown_as_untranslated_not_as_the_old_text():
    event = OutreachEventFactory(title_en="Forum on scams", title_ar="منتدى حول الاحتيال")
    before = content.snapshot(event, ("title",))
    event.title_en = "Forum on phone scams, moved to the library"
    event.stale_translations = content.changed_sources(event, before, ("title",))
    assert event.stale_translations == ["ar:title"]
    value = content.localized(event, "title", "ar")
    assert (value.text, value.language) == ("Forum on phone scams, moved to the library", "en")
    # A translator's new text clears it; a browser's \r\n is not a change.
    before = content.snapshot(event, ("title",))
    event.title_ar = "منتدى حول الاحتيال الهاتفي"
    event.title_en = event.title_en.replace(" ", " ") + "\r\n"
    event.stale_translations = content.changed_sources(event, before, ("title",))
    assert event.stale_translations == []


def test_fallback_events_page_marks_the_untranslated_title_and_says_so_once(client):
    OutreachEventFactory(status="published", title_en="Youth soccer league", title_fr="")
    OutreachEventFactory(status="published", title_en="Know your rights", title_fr="Connaître vos droits")
    html = client.get("/fr/events/").content.decode()
    assert '<span lang="en" dir="ltr" class="untranslated">Youth soccer league</span>' in html
    assert (
        "Connaître vos droits" in html and '<span lang="en" dir="ltr" class="untranslated">Know' not in html
    )
    assert html.count(f'id="{NOTE_FR}"') == 1
    with translation.override("fr"):
        note = translation.gettext(
            "Some text on this page is not yet translated into your language and is shown in the language it was written in."
        )
    assert note in html
    assert "<!--bridge:fallback-note-->" not in html


def test_fallback_page_with_everything_translated_has_no_note(client):
    OutreachEventFactory(status="published", title_en="Know your rights", title_ur="اپنے حقوق جانیں")
    html = client.get("/ur/events/").content.decode()
    assert "اپنے حقوق جانیں" in html
    assert 'id="fallback-note"' not in html


def test_fallback_community_name_in_a_right_to_left_page_keeps_its_direction(client):
    somali = CommunityFactory(name_en="Somali", name_ar="الصوماليون")
    newcomers = _english_only_community("Rohingya")
    OutreachEventFactory(
        status="published", title_en="Meeting", title_ar="اجتماع", communities=[somali, newcomers]
    )
    html = client.get("/ar/events/").content.decode()
    assert "الصوماليون" in html
    assert '<span lang="en" dir="ltr" class="untranslated">Rohingya</span>' in html
    assert 'id="fallback-note"' in html


def test_fallback_meeting_notice_in_french_marks_the_english_title_and_says_so():
    event = OutreachEventFactory(title_en="Youth soccer league")
    translated = OutreachEventFactory(title_en="Know your rights", title_fr="Connaître vos droits")
    sub = SubscriberFactory(email="lecteur@example.org", language="fr")
    (notice,) = build_notices(event, "published", [sub])
    assert (
        '<h1 style="font-size:22px;margin:0 0 12px;" lang="en" dir="ltr">Youth soccer league</h1>'
        in notice.html_body
    )
    assert 'class="fallback-note"' in notice.html_body
    with translation.override("fr"):
        note = translation.gettext(
            "Some of this message is not yet translated into your language and is shown in the language it was written in."
        )
    assert (
        note
        != "Some of this message is not yet translated into your language and is shown in the language it was written in."
    )
    assert note in notice.body
    (notice,) = build_notices(translated, "published", [sub])
    assert "Connaître vos droits" in notice.body and "fallback-note" not in notice.html_body


def test_fallback_calendar_feed_says_which_language_each_title_is_in(client):
    from icalendar import Calendar

    OutreachEventFactory(status="published", title_en="Youth soccer league")
    OutreachEventFactory(status="published", title_en="Know your rights", title_so="Ogow xuquuqdaada")
    feed = Calendar.from_ical(client.get("/events/calendar.ics?lang=so").content)
    summaries = {str(e["summary"]): e["summary"].params.get("LANGUAGE") for e in feed.walk("VEVENT")}
    assert summaries == {"Youth soccer league": "en", "Ogow xuquuqdaada": "so"}


def test_fallback_figures_export_names_are_in_the_readers_language_and_it_says_when_not(client, role_user):
    import csv
    import io

    from liaison.quarters import Quarter

    with translation.override("en"):
        CommunityFactory(name="Somali", name_fr="Somaliens")
    _english_only_community("Rohingya")
    client.force_login(role_user("Commander"))
    q = Quarter.current()
    response = client.get("/fr/dashboard/export/figures.csv", {"quarter": q.key})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    cells = {cell for row in rows for cell in row}
    assert "Somaliens" in cells and "Rohingya" in cells and "Somali" not in cells
    with translation.override("fr"):
        note = translation.gettext(
            "Some names in this export are not yet translated into your language and are in the language they were written in."
        )
    assert note in cells
