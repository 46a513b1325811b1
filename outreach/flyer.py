"""An event's printable flyer: the paper it is printed on, the languages it is offered in and
the QR code that leads to the event's page."""

from dataclasses import dataclass

import segno
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from agencies import conf as agency_conf
from languages import content, registry

from .models import OutreachEvent

PAPERS = ("a4", "letter")


def flyer_paper(value: str | None) -> str:
    """The paper asked for, or A4 for anything else (a typo in a shared link still prints)."""
    return value if value in PAPERS else PAPERS[0]


def flyer_languages(event: OutreachEvent) -> list[registry.Language]:
    """The UI languages the event speaks to, in the order they are declared: those its title
    is translated into (a stale translation does not count), the language spoken at it and
    those interpreted there ("pt" interpretation is read by the "pt-br" flyer)."""
    spoken = {event.language, *(event.interpretation_languages or [])}
    return [
        lang
        for lang in registry.LANGUAGES
        if lang.code in spoken
        or lang.code.split("-")[0] in spoken
        or content.localized(event, "title", lang.code).language == lang.code
    ]


@dataclass(frozen=True)
class FlyerLink:
    code: str
    name_local: str
    direction: str
    url: str


def print_links(url_name: str, languages, *, args=(), paper: str = PAPERS[0]) -> list[FlyerLink]:
    """A printable page's address in each of `languages`, on the same paper (its toolbar)."""
    query = "" if paper == PAPERS[0] else f"?paper={paper}"
    links = []
    for lang in languages:
        with translation.override(lang.code):
            url = reverse(url_name, args=args) + query
        links.append(FlyerLink(lang.code, lang.name_local, lang.direction, url))
    return links


def flyer_links(event: OutreachEvent, *, paper: str = PAPERS[0]) -> list[FlyerLink]:
    """The flyer's address in each of the event's languages."""
    return print_links("outreach:event-flyer", flyer_languages(event), args=[event.pk], paper=paper)


def event_page_url(event: OutreachEvent, language: str) -> str:
    """The absolute address of the event's public page in `language`: what the QR code holds."""
    with translation.override(language):
        return agency_conf.site_url() + reverse("outreach:event-detail", args=[event.pk])


def qr_svg(url: str) -> SafeString:
    """The QR code of `url` as inline SVG. segno writes every character of it from the URL's
    modules (a viewBox and paths with fill/stroke attributes: nothing the CSP blocks, no
    style attribute); the template gives it its accessible name."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(
        dark="#000", light="#fff", border=4, svgclass="flyer-qr-code", lineclass=None, omitsize=True
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup, made from the address alone
