"""Rendering a message for one person: in their language, with content falling back to the
deployment's default, dates in their language and the event's time zone."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from languages import formatting


def recipient_language(code: str | None) -> str:
    """The language to write in: the recipient's if the deployment offers it, else the default."""
    offered = {c for c, _n in settings.LANGUAGES}
    if code in offered:
        return code
    base = (code or "").split("-")[0]
    return base if base in offered else settings.LANGUAGE_CODE


@dataclass(frozen=True)
class Rendered:
    language: str
    subject: str
    body: str
    html_body: str = ""


def message_render(
    *,
    language: str,
    text_template: str,
    context: dict,
    subject_template: str | None = None,
    html_template: str | None = None,
) -> Rendered:
    """Render subject, text and HTML inside translation.override(language).

    HTML templates extend "messaging/email_base.html", which sets lang and dir (right to left
    for Arabic and the other bidi languages) on the whole message.
    """
    language = recipient_language(language)
    with translation.override(language):
        ctx = {**context, "LANGUAGE_CODE": language, "LANGUAGE_BIDI": translation.get_language_bidi()}
        subject = " ".join(render_to_string(subject_template, ctx).split()) if subject_template else ""
        body = render_to_string(text_template, ctx).strip() + "\n"
        html = render_to_string(html_template, ctx) if html_template else ""
    return Rendered(language=language, subject=subject, body=body, html_body=html)


def format_when(start: dt.datetime, end: dt.datetime | None, tz_name: str, *, short: bool = False) -> str:
    """When something happens, in the active language and the zone given (CLDR, through
    languages.formatting): "Tuesday, December 8, 2026, 6:00 – 7:30 PM Eastern Standard Time"."""
    return formatting.format_when(start, end, tz_name, short=short)
