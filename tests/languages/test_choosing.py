"""Choosing a language, and what a reader of each sees in lists, forms and short texts."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from languages import formatting, registry
from messaging.segments import sms_length
from outreach.notices import build_confirmation
from tests.factories import CommunityFactory, OutreachEventFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def _english_only_community(name):
    # Created in English whatever language the last request left active (modeltranslation
    # writes `name` into the active language's column).
    with translation.override("en"):
        return CommunityFactory(name=name)


@pytest.mark.parametrize(("page", "cookie"), [("/so/events/", None), ("/ar/events/", "fr")])
def test_choosing_switcher_goes_to_the_same_page_in_the_chosen_language(client, page, cookie):
    if cookie:
        client.cookies["django_language"] = cookie
    response = client.post("/i18n/setlang/", {"language": "es", "next": page})
    assert response.status_code == 302
    assert response["Location"] == "/es/events/"
    assert response.cookies["django_language"].value == "es"
    # Remembered: the bare address opens in the chosen language.
    assert client.get("/")["Location"] == "/es/"


def test_choosing_switcher_lists_every_declared_language_named_in_itself(client):
    html = client.get("/ur/").content.decode()
    for lang in registry.LANGUAGES:
        assert f'<option value="{lang.code}" lang="{lang.code}" dir="{lang.direction}"' in html
        assert lang.name_local in html
    assert '<option value="ur" lang="ur" dir="rtl" selected>' in html


def test_choosing_answer_and_notice_languages_offer_every_language_each_in_itself(client):
    concern_form = client.get("/fr/concerns/new/").content.decode()
    subscribe = client.get("/fr/subscribe/").content.decode()
    for html in (concern_form, subscribe):
        assert 'value="zh-hans" lang="zh-hans" dir="ltr"' in html and "简体中文" in html
        assert 'value="fa" lang="fa" dir="rtl"' in html


def test_choosing_a_community_with_no_name_in_the_language_says_so_on_the_form(client):
    _english_only_community("Rohingya")
    html = client.get("/fr/concerns/new/").content.decode()
    assert '<option value="' in html and 'lang="en" dir="ltr">Rohingya</option>' in html
    assert 'id="fallback-note"' in html


def test_choosing_lists_are_joined_the_languages_way(client):
    OutreachEventFactory(status="published", title_en="Forum", interpretation_languages=["es", "so", "fr"])
    html = client.get("/ar/events/").content.decode()
    with translation.override("ar"):
        names = formatting.format_list(["الإسبانية", "الصومالية", "الفرنسية"])
    assert "، " not in names or ", " not in names
    assert ", " not in html.split("bi-translate")[2].split("</p>")[0]


def test_choosing_haitian_creole_dates_are_creole_in_every_width():
    tz = ZoneInfo("America/New_York")
    start = dt.datetime(2027, 3, 10, 18, 0, tzinfo=tz)  # a Wednesday in March
    assert formatting.format_when(start, None, None, "ht").startswith("mèkredi 10 mas 2027")
    assert formatting.format_when(start, None, None, "ht", short=True).startswith("mèk. 10 mas")
    assert formatting.format_list(["A", "B", "C"], "ht") == "A, B ak C"


@pytest.mark.parametrize("code", registry.CODES)
def test_choosing_confirmation_sms_keeps_its_whole_link_in_every_language(code, settings):
    settings.SITE_URL = "https://bridge.community-liaison.example-city.gov"
    communities = [CommunityFactory() for _ in range(12)]
    subscriber = SubscriberFactory(channel="sms", phone="+14125550100", email="", language=code)
    message = build_confirmation(
        subscriber=subscriber, language=code, community_ids=[c.pk for c in communities]
    )
    assert sms_length(message.body).segments <= 3
    url = next(w for w in message.body.split() if w.startswith("https://"))
    assert not url.endswith(("…", "...")) and "/subscribe/confirm/" in url


def test_choosing_translation_status_works_whatever_the_default_language(settings):
    from languages.status import status_table

    settings.LANGUAGE_CODE = "es"
    table = status_table()
    assert "| English | `en` | ltr | the source language" in table
    assert "| Spanish (Español) | `es` |" in table


def test_a_meeting_past_midnight_names_the_end_day_as_the_start_day_and_no_seconds():
    import datetime as dt
    from zoneinfo import ZoneInfo

    from languages import formatting

    start = dt.datetime(2026, 12, 1, 22, 0, tzinfo=ZoneInfo("America/New_York"))
    end = start + dt.timedelta(hours=2, minutes=30)
    text = formatting.format_when(start, end, "America/New_York", "en", short=True)
    assert "10:00\u202fPM – Wed, Dec 2, 12:30\u202fAM" in text.replace(" PM", "\u202fPM").replace(
        " AM", "\u202fAM"
    )
    assert ":00:" not in text and "12/2" not in text  # no seconds, no numeric date
    arabic = formatting.format_when(start, end, "America/New_York", "ar")
    assert "الأربعاء" in arabic and ":00:" not in arabic
