"""Meeting notices: one outbox row per subscriber and notice, rendered in the subscriber's
language when it is queued.

Keys (unique in the outbox, so each notice reaches each subscriber once whatever retries or
double clicks happen):
    event:<id>:published:sub:<id>
    event:<id>:changed:<change number>:sub:<id>     a second change notifies again
    event:<id>:cancelled:sub:<id>
    event:<id>:reminder:<occurrence start, UTC>:sub:<id>
    subscriber:<id>:confirm:<hour>:<choices>          the double opt-in message
    alert:<id>:sub:<id>                               a safety alert (outreach.alerts)

A fan-out renders each (language, channel) once and only fills in the per-person links.
"""

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core import signing
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from agencies import conf
from agencies import conf as agency_conf
from languages import content
from languages.formatting import format_list
from liaison.languages import language_name
from messaging.rendering import format_when, message_render, recipient_language
from messaging.segments import SmsPart, sms_compose, sms_plain
from messaging.services import Outgoing, sms_max_segments

from .models import OutreachEvent, Subscriber

PUBLISHED, CHANGED, CANCELLED, REMINDER = "published", "changed", "cancelled", "reminder"
KINDS = (PUBLISHED, CHANGED, CANCELLED, REMINDER)

CONFIRM_SALT = "outreach.subscribe.confirm"
# E-mails sent before the random per-subscriber token carried a signed one with this salt;
# those links still work (services.subscriber_from_unsubscribe_token).
UNSUBSCRIBE_SALT = "outreach.unsubscribe"
# Placeholders replaced per person after rendering. The SMS one has the exact length of an
# unsubscribe code, so a body fitted to its segments once stays fitted for everyone.
EMAIL_TOKEN = "UNSUBSCRIBE-TOKEN-PLACEHOLDER"  # noqa: S105 - a placeholder, not a secret
SMS_CODE = "Z" * 11


def site_url(path: str) -> str:
    # The agency being worked for (a fan-out runs inside its agency): its subscribers'
    # links must open on its own host, where the subscriber is found.
    return agency_conf.site_url() + path


def confirm_token(
    *,
    subscriber: Subscriber,
    language: str,
    community_ids: Iterable[int],
    wants_meetings: bool = True,
    wants_alerts: bool = False,
) -> str:
    # "m" and "a": what they asked for. Tokens from before alerts carry neither: confirming
    # one keeps the subscriber's choice (services.subscriber_confirm).
    payload = {
        "s": subscriber.pk,
        "l": language,
        "c": sorted(community_ids),
        "m": bool(wants_meetings),
        "a": bool(wants_alerts),
    }
    return signing.dumps(payload, salt=CONFIRM_SALT, compress=True)


def notice_key(
    event: OutreachEvent, kind: str, subscriber_id: int, occurrence: dt.datetime | None = None
) -> str:
    if kind == CHANGED:
        return f"event:{event.pk}:changed:{event.change_count}:sub:{subscriber_id}"
    if kind == REMINDER:
        stamp = (occurrence or event.start).astimezone(dt.UTC).strftime("%Y%m%dT%H%MZ")
        return f"event:{event.pk}:reminder:{stamp}:sub:{subscriber_id}"
    return f"event:{event.pk}:{kind}:sub:{subscriber_id}"


def subscriber_message_keys(subscriber_id: int) -> Q:
    """Every outbox row of one subscriber (for forgetting their address): meeting notices,
    safety alerts and confirmations."""
    return (
        Q(key__startswith="event:", key__endswith=f":sub:{subscriber_id}")
        | Q(key__startswith="alert:", key__endswith=f":sub:{subscriber_id}")
        | Q(key__startswith=f"subscriber:{subscriber_id}:")
    )


def audience_subscribers(*, community_ids: list[int], **wanted) -> QuerySet:
    """Confirmed subscribers who want this kind of message (`wants_meetings=True` or
    `wants_alerts=True`), of the given communities and those who chose none (they hear about
    everything); no community given means everyone. A number that replied STOP is left out
    until it replies START. Meeting notices and safety alerts share this rule."""
    subs = Subscriber.objects.filter(confirmed_at__isnull=False, sms_stopped_at__isnull=True, **wanted)
    if community_ids:
        through = Subscriber.communities.through
        subs = subs.filter(
            Exists(
                through.objects.filter(subscriber_id=OuterRef("pk"), prioritycommunity_id__in=community_ids)
            )
            | ~Exists(through.objects.filter(subscriber_id=OuterRef("pk")))
        )
    return subs.only(
        "id", "channel", "email", "phone", "language", "unsubscribe_code", "unsubscribe_token"
    ).order_by("id")


def notice_recipients(event: OutreachEvent) -> QuerySet:
    """The event's audience who asked for meeting notices (whoever asked for safety alerts
    only is left out). An event with no audience community is for all."""
    return audience_subscribers(
        community_ids=list(event.communities.values_list("id", flat=True)), wants_meetings=True
    )


def _event_context(event: OutreachEvent, kind: str, occurrence: dt.datetime) -> dict:
    """Everything a notice says; evaluated inside translation.override, so the translated
    fields (title, description, directions) come in that language or fall back."""
    language = translation.get_language()
    # Each text says which language it is in; a fallback is marked and the notice says so.
    title, description, directions = (
        content.localized(event, name) for name in ("title", "description", "venue_directions")
    )
    return {
        "event": event,
        "kind": kind,
        "title": title,
        "description": description,
        "directions": directions,
        "untranslated": any(t.is_fallback for t in (title, description, directions)),
        "when": format_when(occurrence, occurrence + event.duration, event.time_zone),
        "monthly": event.recurrence == OutreachEvent.Recurrence.MONTHLY,
        "interpretation": [language_name(c) for c in event.interpretation_languages],
        "spoken": language_name(event.language),
        "event_url": site_url(reverse("outreach:event-detail", kwargs={"pk": event.pk})),
        "unit_name": conf.unit_name(),
        "emergency_number": settings.EMERGENCY_NUMBER,
        "language": language,
    }


# What an SMS starts with, by kind; an announcement needs none.
SMS_PREFIXES = {
    CANCELLED: gettext_noop("CANCELLED:"),
    CHANGED: gettext_noop("CHANGED:"),
    REMINDER: gettext_noop("Reminder:"),
}
# What gives way, in this order, when an SMS is too long: the time, the kind and the links
# never do (the Spanish "...2026, 18:0..." that lost its time and place cut the whole text).
SMS_SHORTEN = ("title", "interpretation", "address", "venue")
_SENTENCE_ENDS = tuple(".!?…。！？؟।")


def _sms_text(text: str) -> str:
    """One line, and typographic punctuation as ASCII, so Latin text stays GSM-7."""
    return sms_plain(" ".join(str(text).split()))


def _sms_notice(event: OutreachEvent, kind: str, occurrence: dt.datetime) -> str:
    """The SMS in the active language, fitted to the segment limit, with the placeholder
    stop code (the length of a real one, so it stays fitted for everyone)."""
    title = _sms_text(content.localized(event, "title").text)  # a fallback title will do
    names = format_list([language_name(c) for c in event.interpretation_languages or []])
    stop = site_url(reverse("outreach:unsubscribe", kwargs={"token": SMS_CODE}))
    event_url = site_url(reverse("outreach:event-detail", kwargs={"pk": event.pk}))
    when = format_when(occurrence, occurrence + event.duration, event.time_zone, short=True)
    parts = [
        SmsPart("kind", _sms_text(gettext(SMS_PREFIXES[kind])) if kind in SMS_PREFIXES else ""),
        SmsPart("title", title, end="" if title.endswith(_SENTENCE_ENDS) else ".", least=24, holds=True),
        SmsPart("when", _sms_text(when), end="."),
        SmsPart("venue", _sms_text(event.venue_name), least=20, holds=True),
        SmsPart("address", _sms_text(event.address), before=", ", end=".", least=12),
        SmsPart(
            "interpretation",
            _sms_text(gettext("Interpretation:") + " " + names) if names else "",
            end=".",
            whole=True,
        ),
        SmsPart("event_url", event_url, before="\n"),
        SmsPart("stop", gettext("Stop: %(url)s") % {"url": stop}, before="\n"),
    ]
    return sms_compose(parts, max_segments=sms_max_segments(), shorten=SMS_SHORTEN)


def _render_notice(event: OutreachEvent, kind: str, occurrence: dt.datetime, language: str, channel: str):
    """(subject, body, html) for one language and channel, with per-person placeholders."""
    with translation.override(recipient_language(language)):
        if channel == Subscriber.Channel.SMS:
            return "", _sms_notice(event, kind, occurrence), ""
        ctx = _event_context(event, kind, occurrence)
        lang = translation.get_language()
        unsubscribe = site_url(reverse("outreach:unsubscribe", kwargs={"token": EMAIL_TOKEN}))
        rendered = message_render(
            language=lang,
            subject_template="outreach/notices/subject.txt",
            text_template="outreach/notices/email.txt",
            html_template="outreach/notices/email.html",
            context={**ctx, "unsubscribe_url": unsubscribe},
        )
        return rendered.subject, rendered.body, rendered.html_body


def build_notices(
    event: OutreachEvent, kind: str, subscribers: Iterable[Subscriber], occurrence: dt.datetime | None = None
) -> list[Outgoing]:
    assert kind in KINDS
    occurrence = occurrence or event.next_occurrence() or event.start
    return personalised(
        subscribers,
        key=lambda sub: notice_key(event, kind, sub.pk, occurrence),
        render=lambda language, channel: _render_notice(event, kind, occurrence, language, channel),
    )


def personalised(
    subscribers: Iterable[Subscriber],
    *,
    key: Callable[[Subscriber], str],
    render: Callable[[str, str], tuple[str, str, str]],
) -> list[Outgoing]:
    """One outbox row per subscriber of a fan-out (meeting notices, safety alerts): each
    (language, channel) rendered once by `render` -> (subject, body, html) with the
    placeholders, then only the person's unsubscribe link filled in."""
    cache: dict[tuple[str, str], tuple[str, str, str]] = {}
    out = []
    for sub in subscribers:
        language = recipient_language(sub.language)
        templ = cache.get((language, sub.channel))
        if templ is None:
            templ = cache[(language, sub.channel)] = render(language, sub.channel)
        subject, body, html = templ
        if sub.channel == Subscriber.Channel.SMS:
            out.append(
                Outgoing(
                    key=key(sub),
                    channel="sms",
                    address=sub.phone,
                    language=language,
                    subject="",
                    body=body.replace(SMS_CODE, sub.unsubscribe_code),
                )
            )
            continue
        token = sub.unsubscribe_token
        # The same link in the body, the HTML and the List-Unsubscribe header.
        url = site_url(_unsubscribe_path(language).replace(EMAIL_TOKEN, token))
        out.append(
            Outgoing(
                key=key(sub),
                channel="email",
                address=sub.email,
                language=language,
                subject=subject,
                body=body.replace(EMAIL_TOKEN, token),
                html_body=html.replace(EMAIL_TOKEN, token),
                headers={
                    "List-Unsubscribe": f"<{url}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
        )
    return out


_PATHS: dict[str, str] = {}


def _unsubscribe_path(language: str) -> str:
    if language not in _PATHS:
        with translation.override(language):
            _PATHS[language] = reverse("outreach:unsubscribe", kwargs={"token": EMAIL_TOKEN})
    return _PATHS[language]


def build_confirmation(
    *,
    subscriber: Subscriber,
    language: str,
    community_ids: list[int],
    wants_meetings: bool = True,
    wants_alerts: bool = False,
) -> Outgoing:
    language = recipient_language(language)
    token = confirm_token(
        subscriber=subscriber,
        language=language,
        community_ids=community_ids,
        wants_meetings=wants_meetings,
        wants_alerts=wants_alerts,
    )
    with translation.override(language):
        url = site_url(reverse("outreach:subscribe-confirm", kwargs={"token": token}))
    hours = int(settings.OUTREACH_CONFIRM_HOURS)
    ctx = {
        "confirm_url": url,
        "hours": hours,
        "unit_name": conf.unit_name(),
        "emergency_number": settings.EMERGENCY_NUMBER,
        "wants_meetings": wants_meetings,
        "wants_alerts": wants_alerts,
    }
    # Only an alert choice changes the hash: a meetings-only sign-up keeps the key it had.
    extra = f":m{int(wants_meetings)}a1" if wants_alerts else ""
    choice = hashlib.sha256(f"{language}:{sorted(community_ids)}{extra}".encode()).hexdigest()[:8]
    # One confirmation per hour and choice: a double click sends one, a changed choice another.
    key = f"subscriber:{subscriber.pk}:confirm:{timezone.now():%Y%m%d%H}:{choice}"
    if subscriber.channel == Subscriber.Channel.SMS:
        with translation.override(language):
            # The link is never cut (a cut token confirms nothing); the words around it give way.
            if wants_alerts and wants_meetings:
                lead = gettext("%(unit)s: confirm safety alerts and meeting notices:")
            elif wants_alerts:
                lead = gettext("%(unit)s: confirm safety alerts:")
            else:
                lead = gettext("%(unit)s: confirm meeting notices:")
            lead = lead % {"unit": conf.unit_name()}
            parts = [
                SmsPart("lead", _sms_text(lead), least=12, holds=True),
                SmsPart("url", url),
                SmsPart("ignore", _sms_text(gettext("Not you? Ignore this.")), whole=True),
            ]
            body = sms_compose(parts, max_segments=sms_max_segments(), shorten=("ignore", "lead"))
        return Outgoing(
            key=key, channel="sms", address=subscriber.phone, language=language, subject="", body=body
        )
    r = message_render(
        language=language,
        subject_template="outreach/confirm/subject.txt",
        text_template="outreach/confirm/email.txt",
        html_template="outreach/confirm/email.html",
        context=ctx,
    )
    return Outgoing(
        key=key,
        channel="email",
        address=subscriber.email,
        language=r.language,
        subject=r.subject,
        body=r.body,
        html_body=r.html_body,
    )
