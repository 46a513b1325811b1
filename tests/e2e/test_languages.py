"""Language access in a real browser (issue 10): the public pages in French, Somali, Urdu and
Burmese on a phone, right to left for Urdu and Farsi, a meeting notice e-mail in each, the
note on a page showing an untranslated title, and the language switcher on a phone.

Screenshots land in var/screenshots/languages/ for a person to look at."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from languages import registry
from tests.e2e.conftest import axe_violations
from tests.factories import OutreachEventFactory, SubscriberFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "languages"
PAGES = [("home", "/{lang}/"), ("concern-form", "/{lang}/concerns/new/"), ("events", "/{lang}/events/")]


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def t(lang, text):
    with translation.override(lang):
        return translation.gettext(text)


@pytest.fixture
def event():
    return OutreachEventFactory(
        status="published",
        title_en="Know your rights",
        title_fr="Connaître vos droits",
        title_so="Ogow xuquuqdaada",
        title_ur="اپنے حقوق جانیں",
        title_my="သင့်အခွင့်အရေးများကို သိပါ",
        title_fa="حقوق خود را بدانید",
    )


@pytest.mark.parametrize("lang", ["fr", "so", "ur", "my"])
def test_languages_public_pages_on_a_phone_speak_the_language(axe_context, lang, event):
    page = axe_context(375)
    direction = registry.get(lang).direction
    for name, path in PAGES:
        page.goto(path.format(lang=lang))
        html = page.locator("html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == (lang, direction)
        emergency = t(lang, "In an emergency, call %(number)s.") % {"number": "911"}
        assert emergency != "In an emergency, call 911."
        assert emergency in page.locator(".emergency-banner").inner_text()
        # No sideways scrolling at 375 px, in any script.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
        assert axe_violations(page) == [], f"{lang} {name}"
        shot(page, f"{lang}-{name}-375")
    # The event list shows the title written in the language, with no "not translated" note.
    page.goto(f"/{lang}/events/")
    assert page.get_by_text(getattr(event, f"title_{lang}")).is_visible()
    assert page.locator("#fallback-note").count() == 0


@pytest.mark.parametrize("lang", ["ur", "fa"])
def test_languages_right_to_left_for_urdu_and_farsi(page, lang, event):
    page.goto(f"/{lang}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    sheets = page.locator("link[rel=stylesheet]").evaluate_all("els => els.map(e => e.href)")
    assert any("bootstrap.rtl.min.css" in s for s in sheets)
    assert page.locator(".navbar-brand").bounding_box()["x"] > 640  # the brand on the right
    # The page's own script is drawn with a font the app serves when the device lacks one.
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith('"Noto Nastaliq Urdu"' if lang == "ur" else '"Noto Sans Arabic"')
    loaded = page.evaluate(
        "async () => { await document.fonts.ready; return [...document.fonts].filter(f => f.status == 'loaded').map(f => f.family) }"
    )
    assert any(f.strip('"') in ("Noto Nastaliq Urdu", "Noto Sans Arabic") for f in loaded)
    page.goto(f"/{lang}/events/")
    date_text = page.locator(".event-card").first.inner_text()
    assert ", " not in date_text.split("\n")[2], "a Latin comma in a right-to-left date"
    shot(page, f"{lang}-events-1280")


def test_languages_untranslated_title_is_marked_and_the_page_says_so(page, watch):
    OutreachEventFactory(status="published", title_en="Youth soccer league: season opener")
    page.goto("/fr/events/")
    title = page.get_by_text("Youth soccer league: season opener")
    assert title.is_visible()
    assert (title.get_attribute("lang"), title.get_attribute("dir")) == ("en", "ltr")
    note = page.locator("#fallback-note")
    assert note.count() == 1
    expected = t(
        "fr",
        "Some text on this page is not yet translated into your language and is shown in the language it was written in.",
    )
    assert (
        expected
        != "Some text on this page is not yet translated into your language and is shown in the language it was written in."
    )
    assert expected in note.inner_text()
    # In Urdu the English title keeps its own direction inside the right-to-left page.
    page.goto("/ur/events/")
    title = page.get_by_text("Youth soccer league: season opener")
    assert title.get_attribute("dir") == "ltr"
    assert title.evaluate("e => getComputedStyle(e).direction") == "ltr"
    shot(page, "ur-events-fallback-1280")
    assert watch.foreign_requests == []


def test_languages_switcher_on_a_phone_names_each_language_and_is_remembered(phone, watch):
    phone.goto("/en/privacy/")
    select = phone.locator("#language-select")
    assert select.is_visible()  # no menu to open first
    options = select.locator("option").evaluate_all("os => os.map(o => [o.value, o.textContent, o.lang])")
    assert [(v, name) for v, name, _lang in options] == [
        (lang.code, lang.name_local) for lang in registry.LANGUAGES
    ]
    assert all(v == lang for v, _name, lang in options)  # each named in itself, marked as such
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shot(phone, "switcher-375")
    select.select_option("so")
    phone.locator(".language-go").click()
    phone.wait_for_url("**/so/privacy/")
    assert phone.locator("html").get_attribute("lang") == "so"
    # Remembered: the bare address opens in Somali next time.
    phone.goto("/")
    phone.wait_for_url("**/so/")
    # Keyboard: the select and its button are reachable and work without a mouse.
    phone.locator("#language-select").focus()
    phone.keyboard.press("End")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")
    phone.wait_for_url(f"**/{registry.LANGUAGES[-1].code}/")
    assert watch.console_errors == []


@pytest.mark.parametrize("lang", ["fr", "so", "ur", "my"])
def test_languages_meeting_notice_email_in_the_subscribers_language(page, lang, event):
    from messaging.models import Message
    from outreach import services

    SubscriberFactory(email=f"reader-{lang}@example.org", language=lang)
    coordinator = UserFactory(username=f"coordinator-{lang}", is_superuser=True)
    event.status = "draft"
    event.save(update_fields=["status"])
    services.event_publish(actor=coordinator, event=event)
    message = Message.objects.get(address=f"reader-{lang}@example.org")
    assert message.language == lang
    page.set_content(message.html_body)
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == (lang, registry.get(lang).direction)
    body = page.locator("body").inner_text()
    assert getattr(event, f"title_{lang}") in body
    assert "911" in body
    from languages.formatting import format_when

    # When, in the reader's language and the event's zone: weekday, date, times, zone name.
    assert format_when(event.start, event.end, event.time_zone, lang) in body
    shot(page, f"{lang}-notice-email")
