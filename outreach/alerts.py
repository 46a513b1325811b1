"""Community safety alerts: who gets one, and what it says in each reader's language.

Keys (unique in the outbox, so an alert reaches each subscriber once whatever retries or
double clicks happen):
    alert:<id>:sub:<id>

A fan-out renders each (language, channel) once and only fills in the per-person links, as
meeting notices do (outreach.notices).
"""

import re
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from agencies import conf
from audit import events as audit_events
from languages import content
from liaison.languages import language_name_local
from messaging.rendering import message_render, recipient_language
from messaging.segments import SmsPart, sms_compose
from messaging.services import Outgoing, sms_max_segments

from .models import SafetyAlert, Subscriber
from .notices import EMAIL_TOKEN, SMS_CODE, _sms_text, audience_subscribers, personalised, site_url

# Audit trail events for staff actions on alerts, named and labelled on the ground floor.
ALERT_SAVED = audit_events.ALERT_SAVED
ALERT_SUBMITTED = audit_events.ALERT_SUBMITTED
ALERT_APPROVED = audit_events.ALERT_APPROVED
ALERT_WITHDRAWN = audit_events.ALERT_WITHDRAWN

TRANSLATED = ("title", "body", "advice")

# An address more precise than the area. Three shapes, in the languages units write most:
#   a number, up to three words (none of them "on", "near"...), then a street word:
#       "123 Main St", "12 North Main Street", "12 rue Haute", "45 Calle 8"
#   a street word, one to three words, then a number (Spanish, Portuguese, Arabic,
#   Vietnamese order): "Calle Mayor 12", "Rua das Flores 200", "شارع الملك 12"
#   a flat or unit number, or a bare "#12": "Apt 4B", "Unit 12", "Suite 300", "شقة 5", "12号"
# "near Main Street", "around Fifth Avenue and Main" or "3 robberies on Main Street" have no
# house number and pass. Kept small on purpose: it catches the usual slips, the drafter's
# confirmation ("no one is named, no precise address") covers the rest.
_STREET = (
    r"st|street|ave|avenue|rd|road|blvd|boulevard|dr|drive|ln|lane|way|pl|place|ct|court|hwy|"
    r"highway|pkwy|parkway|terrace|calle|avenida|avda|camino|carrera|rue|chemin|allée|rua|"
    r"estrada|travessa|đường|phố|شارع|خیابان|سڑک|barabara|waddada|jidka"
)
_NUMBER_FIRST = r"calle|avenida|avda|camino|carrera|rua|estrada|travessa|đường|phố|شارع|خیابان"
# Words that say "somewhere near", not "at this door": a number before them is a count.
_NOT_AN_ADDRESS = r"on|near|at|around|in|of|by|off|from|along|the|and|between|cerca|en|près|sur|perto"
_UNIT = r"apt|apartment|unit|suite|depto|departamento|apto|appt|appartement|شقة|شقه"
PRECISE_ADDRESS = re.compile(
    rf"""
    \b\d{{1,6}}[a-z]?,?\s+(?:(?!(?:{_NOT_AN_ADDRESS})\b)[\w'.-]+\s+){{0,3}}(?:{_STREET})(?!\w)
    | (?<!\w)(?:{_NUMBER_FIRST})\s+(?:[\w'.-]+\s+){{1,3}}\d{{1,6}}\b
    | (?<!\w)(?:{_UNIT})\.?\s*(?:no\.?\s*)?\#?\s*\d+[a-z]?\b
    | \#\s*\d+
    | \d+\s*(?:号|室|番地)
    """,
    re.IGNORECASE | re.VERBOSE,
)


def looks_precise(text: str) -> bool:
    """Does `text` look like it gives a street address or a flat number?"""
    return bool(text) and PRECISE_ADDRESS.search(text) is not None


def alert_key(alert: SafetyAlert, subscriber_id: int) -> str:
    return f"alert:{alert.pk}:sub:{subscriber_id}"


def alert_recipients(alert: SafetyAlert) -> QuerySet:
    """The alert's communities' subscribers who asked for alerts (the rule of meeting
    notices); an alert with no community is for everyone."""
    return audience_subscribers(
        community_ids=list(alert.communities.values_list("id", flat=True)), wants_alerts=True
    )


def recipient_counts(alert: SafetyAlert) -> list[dict]:
    """[{"language", "name", "channel", "count"}] of who would get the alert now, for the approve page."""
    counts = Counter(
        (recipient_language(language), channel)
        for language, channel in alert_recipients(alert).values_list("language", "channel")
    )
    return [
        {"language": language, "name": language_name_local(language), "channel": channel, "count": n}
        for (language, channel), n in sorted(counts.items())
    ]


def alert_context(alert: SafetyAlert) -> dict:
    """What an alert says, in the active language (texts fall back visibly)."""
    title, body, advice = (content.localized(alert, name) for name in TRANSLATED)
    return {
        "alert": alert,
        "title": title,
        "body": body,
        "advice": advice,
        "untranslated": any(t.is_fallback for t in (title, body, advice)),
        "alert_url": site_url(reverse("outreach:alert-detail", kwargs={"pk": alert.pk})),
        "concern_url": site_url(reverse("feedback:concern-new")),
        "unit_name": conf.unit_name(),
        "emergency_number": settings.EMERGENCY_NUMBER,
        "language": translation.get_language(),
    }


def _sms_alert(alert: SafetyAlert) -> str:
    """The SMS in the active language, fitted to the segment limit. The safety line and the
    links are never cut; the body gives way first, then the area, then the title."""
    title = _sms_text(content.localized(alert, "title").text)
    body = _sms_text(content.localized(alert, "body").text)
    url = site_url(reverse("outreach:alert-detail", kwargs={"pk": alert.pk}))
    stop = site_url(reverse("outreach:unsubscribe", kwargs={"token": SMS_CODE}))
    safety = gettext("Emergency: call %(number)s. No one will ask about your immigration status.") % {
        "number": settings.EMERGENCY_NUMBER
    }
    parts = [
        SmsPart("kind", _sms_text(gettext("SAFETY ALERT:"))),
        SmsPart(
            "title", title, end="" if title.endswith(tuple(".!?…。！？؟")) else ".", least=20, holds=True
        ),
        SmsPart("area", _sms_text(alert.area), end=".", least=12),
        SmsPart("body", body, least=20),
        SmsPart("safety", _sms_text(safety), before="\n"),
        SmsPart("url", url, before="\n"),
        SmsPart("stop", gettext("Stop: %(url)s") % {"url": stop}, before="\n"),
    ]
    return sms_compose(parts, max_segments=sms_max_segments(), shorten=("body", "area", "title"))


def render_alert(alert: SafetyAlert, language: str, channel: str) -> tuple[str, str, str]:
    """(subject, body, html) for one language and channel, with per-person placeholders."""
    with translation.override(recipient_language(language)):
        if channel == Subscriber.Channel.SMS:
            return "", _sms_alert(alert), ""
        lang = translation.get_language()
        unsubscribe = site_url(reverse("outreach:unsubscribe", kwargs={"token": EMAIL_TOKEN}))
        rendered = message_render(
            language=lang,
            subject_template="outreach/alerts/subject.txt",
            text_template="outreach/alerts/email.txt",
            html_template="outreach/alerts/email.html",
            context={**alert_context(alert), "unsubscribe_url": unsubscribe},
        )
        return rendered.subject, rendered.body, rendered.html_body


def build_alert_messages(alert: SafetyAlert, subscribers: Iterable[Subscriber]) -> list[Outgoing]:
    return personalised(
        subscribers,
        key=lambda sub: alert_key(alert, sub.pk),
        render=lambda language, channel: render_alert(alert, language, channel),
    )
