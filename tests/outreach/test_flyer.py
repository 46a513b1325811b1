"""The printable flyer of an event: in the address's language (right to left in Arabic), on
A4 or US Letter, with when, where, interpretation, the 911 line and a QR code to the event's
page; public like the event page, and a 404 for a draft."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from outreach import flyer
from outreach.models import OutreachEvent
from tests.factories import LiaisonFactory, OutreachEventFactory

pytestmark = pytest.mark.django_db

PUBLISHED = OutreachEvent.Status.PUBLISHED


def _flyer(client, event, lang, query=""):
    response = client.get(f"/{lang}/events/{event.pk}/flyer/{query}")
    assert response.status_code == 200
    return response.content.decode()


def _event(**kwargs):
    defaults = {
        "title_en": "Meet your liaison officers",
        "title_es": "Conozca a sus oficiales de enlace",
        "title_ar": "تعرّف على ضباط الارتباط",
        "status": PUBLISHED,
        "interpretation_languages": ["es", "ar", "so"],
    }
    return OutreachEventFactory(**{**defaults, **kwargs})


def test_flyer_in_spanish_has_the_translated_title_and_every_fact(client):
    event = _event()
    html = _flyer(client, event, "es")
    assert '<html lang="es" dir="ltr"' in html
    assert "Conozca a sus oficiales de enlace" in html
    with translation.override("es"):
        assert translation.gettext("In an emergency, call %(number)s.") % {"number": "911"} in html
        for name in ("Spanish", "Arabic", "Somali"):
            assert translation.gettext(name) in html  # each interpretation language, named in Spanish
        assert translation.gettext("Where") in html
    assert "Carrick Library" in html and "1811 Brownsville Rd" in html
    assert settings.EMERGENCY_NUMBER in html


def test_flyer_in_arabic_is_right_to_left_with_the_arabic_title(client):
    event = _event()
    html = _flyer(client, event, "ar")
    assert '<html lang="ar" dir="rtl"' in html
    assert "bootstrap.rtl.min.css" in html
    assert "تعرّف على ضباط الارتباط" in html
    with translation.override("ar"):
        assert translation.gettext("In an emergency, call %(number)s.") % {"number": "911"} in html
        assert translation.gettext("Somali") in html


def test_flyer_title_falls_back_to_the_default_language_marked_as_such(client):
    event = _event(title_ar="")
    html = _flyer(client, event, "ar")
    assert '<span lang="en" dir="ltr" class="untranslated">Meet your liaison officers</span>' in html


def test_flyer_qr_code_is_an_svg_of_the_event_page_in_the_flyer_language(client):
    event = _event()
    html = _flyer(client, event, "es")
    with translation.override("es"):
        page = settings.SITE_URL + reverse("outreach:event-detail", args=[event.pk])
    assert page.endswith(f"/es/events/{event.pk}/")
    assert f">{page}</a>" in html  # the address in text, for a phone without a camera
    qr = re.search(r'<div class="flyer-qr-image" role="img" aria-label="[^"]+">(<svg .*?</svg>)</div>', html)
    assert qr, "the QR code is an inline SVG with an accessible name"
    assert "style=" not in qr.group(1)  # the CSP allows no inline style
    assert flyer.qr_svg(page) == qr.group(1)


@pytest.mark.parametrize(("query", "paper"), [("", "a4"), ("?paper=a4", "a4"), ("?paper=letter", "letter")])
def test_flyer_paper_sizes(client, query, paper):
    html = _flyer(client, _event(), "en", query)
    assert f'<body class="flyer paper-{paper}">' in html


@pytest.mark.parametrize(
    "bad", ["?paper=A3", "?paper=", "?paper=l%C3%A9tter", "?paper=letter&paper=x", "?paper=" + "x" * 5000]
)
def test_flyer_bad_paper_falls_back_to_a4(client, bad):
    html = _flyer(client, _event(), "es", bad)
    assert '<body class="flyer paper-a4">' in html


def test_flyer_of_a_draft_or_unknown_event_is_a_404(client):
    draft = OutreachEventFactory(title_en="Secret draft")
    assert client.get(f"/en/events/{draft.pk}/flyer/").status_code == 404
    assert client.get("/es/events/999999/flyer/").status_code == 404


def test_flyer_of_a_cancelled_event_says_so(client):
    event = _event(status=OutreachEvent.Status.CANCELLED)
    html = _flyer(client, event, "en")
    assert "This meeting is cancelled." in html


def test_flyer_monthly_event_says_it_repeats(client):
    event = _event(
        recurrence=OutreachEvent.Recurrence.MONTHLY, repeat_until=dt.date.today() + dt.timedelta(days=120)
    )
    html = _flyer(client, event, "en")
    assert "Every month" in html


def test_flyer_offers_the_event_languages_in_declared_order(client):
    # Titled in es and ar, spoken in English, interpreted into Somali and Portuguese ("pt" is
    # read by the Brazilian Portuguese flyer); "kar" has no UI language, so no flyer.
    event = _event(interpretation_languages=["so", "pt", "kar"], title_fr="", language="en")
    codes = [lang.code for lang in flyer.flyer_languages(event)]
    assert codes == ["en", "es", "ar", "so", "pt-br"]
    html = _flyer(client, event, "es", "?paper=letter")
    assert f'href="/ar/events/{event.pk}/flyer/?paper=letter" hreflang="ar"' in html
    assert f'href="/so/events/{event.pk}/flyer/?paper=letter" hreflang="so"' in html
    assert f"/fr/events/{event.pk}/flyer/" not in html


def test_flyer_a_stale_translation_is_not_a_flyer_language():
    event = _event(interpretation_languages=[], stale_translations=["es:title"])
    assert [lang.code for lang in flyer.flyer_languages(event)] == ["en", "ar"]


def test_flyer_is_linked_from_the_event_page_and_the_staff_pages(client):
    event = _event()
    assert f'href="/es/events/{event.pk}/flyer/"' in client.get(f"/es/events/{event.pk}/").content.decode()
    liaison = LiaisonFactory()
    event.created_by = liaison.user
    event.save()
    client.force_login(liaison.user)
    for url in ("/en/outreach/events/", f"/en/outreach/events/{event.pk}/edit/"):
        html = client.get(url).content.decode()
        for lang in ("en", "es", "ar", "so"):
            assert f'href="/{lang}/events/{event.pk}/flyer/" hreflang="{lang}"' in html, (url, lang)
