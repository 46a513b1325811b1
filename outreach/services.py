"""Every write to outreach events and subscribers. Notices are queued in the same transaction
as the change that causes them (messaging.message_queue), sent after commit."""

import datetime as dt
import logging
from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from modeltranslation.translator import translator

from agencies import conf
from agencies import context as agency_context
from agencies.conf import default_time_zone
from audit import events as audit_events
from audit.services import audit_record
from languages import content
from liaison import services as liaison_services
from liaison.languages import LANGUAGE_CHOICES, language_name
from liaison.models import Contact, Liaison, Partner, PriorityCommunity
from messaging import services as messaging

from . import alerts, notices
from .models import (
    AttendanceReceipt,
    CommunityAttendance,
    EventAttendance,
    OutreachEvent,
    SafetyAlert,
    Subscriber,
)

logger = logging.getLogger(__name__)

# The fields whose change sends a "changed" notice: the time and the place.
TIME_AND_PLACE = ("start", "end", "time_zone", "recurrence", "repeat_until", "venue_name", "address")
EVENT_FIELDS = {
    "kind",
    "venue_name",
    "address",
    "start",
    "end",
    "time_zone",
    "recurrence",
    "repeat_until",
    "language",
    "interpretation_languages",
} | {col for name in ("title", "description", "venue_directions") for col in content.columns(name)}
LANGUAGE_CODES = {code for code, _name in LANGUAGE_CHOICES}

# The words a subscriber agrees to; the version is stored with each consent.
# 2026-12-1: one sentence for every choice, naming the boxes ticked above it (the choice itself
# is stored with it: wants_meetings, wants_alerts). The words shown are the words stored.
CONSENT_VERSION = "2026-12-1"


def consent_text() -> str:
    """In the active language: what the person agrees to when they sign up."""
    return _(
        "I want the messages I ticked above (meeting notices, safety alerts or both) from the "
        "%(unit)s at the address I gave, in the language I chose. I can stop them at any time "
        "with the link in every message."
    ) % {"unit": conf.unit_name()}


# --- Events -------------------------------------------------------------------------------


def can_manage_event(*, actor, event: OutreachEvent | None = None) -> bool:
    if actor.has_perm("outreach.manage_all_events"):
        return True
    if event is None:
        return actor.has_perm("outreach.add_outreachevent")
    if not actor.has_perm("outreach.change_outreachevent"):
        return False
    return event.created_by_id == actor.pk or event.hosts.filter(user=actor).exists()


def _require_manager(actor, event: OutreachEvent | None = None) -> None:
    if not can_manage_event(actor=actor, event=event):
        raise PermissionDenied(_("You can only change events you created or host."))


def event_validate(
    *,
    start: dt.datetime | None,
    end: dt.datetime | None,
    time_zone: str,
    recurrence: str = OutreachEvent.Recurrence.NONE,
    repeat_until: dt.date | None = None,
    interpretation_languages: Iterable[str] = (),
    title: str | None = "x",
) -> None:
    """Raise a ValidationError mapping each field to a message in the user's language."""
    errors: dict[str, list[str]] = {}
    if not title:
        errors.setdefault(f"title_{settings.LANGUAGE_CODE}", []).append(
            _("Enter a title in %(language)s; other languages fall back to it.")
            % {"language": language_name(settings.LANGUAGE_CODE)}
        )
    try:
        ZoneInfo(time_zone or "")
    except (ZoneInfoNotFoundError, ValueError):
        errors.setdefault("time_zone", []).append(_("Choose a time zone from the list."))
    if start and end and end <= start:
        errors.setdefault("end", []).append(_("The end must be after the start."))
    if recurrence == OutreachEvent.Recurrence.MONTHLY:
        if not repeat_until:
            errors.setdefault("repeat_until", []).append(_("Enter the date of the last monthly meeting."))
        elif start and repeat_until < start.date():
            errors.setdefault("repeat_until", []).append(_("The last meeting cannot be before the first."))
    unknown = [c for c in interpretation_languages if c not in LANGUAGE_CODES]
    if unknown:
        errors.setdefault("interpretation_languages", []).append(_("Choose languages from the list."))
    if errors:
        raise ValidationError(errors)


def _default_title(fields: dict, event: OutreachEvent | None = None) -> str:
    key = f"title_{settings.LANGUAGE_CODE}"
    if key in fields:
        return fields[key]
    return getattr(event, key, "") if event else ""


@transaction.atomic
def event_create(
    *,
    actor,
    communities: Iterable[PriorityCommunity] = (),
    partners: Iterable[Partner] = (),
    hosts: Iterable[Liaison] = (),
    **fields,
) -> OutreachEvent:
    """A draft event; nobody is told until it is published."""
    _require_manager(actor)
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    fields.setdefault("time_zone", default_time_zone())
    event_validate(
        start=fields.get("start"),
        end=fields.get("end"),
        time_zone=fields["time_zone"],
        recurrence=fields.get("recurrence", OutreachEvent.Recurrence.NONE),
        repeat_until=fields.get("repeat_until"),
        interpretation_languages=fields.get("interpretation_languages") or [],
        title=_default_title(fields),
    )
    if fields.get("recurrence") != OutreachEvent.Recurrence.MONTHLY:
        fields["repeat_until"] = None
    event = OutreachEvent(created_by=actor, **fields)
    event.full_clean(exclude=["created_by"], validate_constraints=False)
    event.save()
    event.communities.set(list(communities))
    event.partners.set(list(partners))
    event.hosts.set(list(hosts))
    return event


def _queue_notices(event: OutreachEvent, kind: str, occurrence: dt.datetime | None = None) -> int:
    recipients = notices.notice_recipients(event)
    total = 0
    # Chunks keep memory flat for large audiences; each chunk is one bulk insert.
    batch: list[Subscriber] = []
    for sub in recipients.iterator(chunk_size=2000):
        batch.append(sub)
        if len(batch) == 2000:
            total += len(
                messaging.message_queue(outgoing=notices.build_notices(event, kind, batch, occurrence))
            )
            batch = []
    if batch:
        total += len(messaging.message_queue(outgoing=notices.build_notices(event, kind, batch, occurrence)))
    return total


def _translated_fields() -> tuple[str, ...]:
    """The event's texts translated per language (outreach/translation.py)."""
    return tuple(translator.get_options_for_model(OutreachEvent).fields)


def _lock(event: OutreachEvent) -> OutreachEvent:
    return OutreachEvent.objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def event_publish(*, actor, event: OutreachEvent) -> int:
    """Publish a draft and notify its audience. Returns how many notices were queued.

    Publishing twice (a double click) notifies nobody twice: the second call finds the event
    published, and the outbox keys would refuse a second copy anyway.
    """
    _require_manager(actor, event)
    event = _lock(event)
    if event.status == OutreachEvent.Status.CANCELLED:
        raise ValidationError(_("A cancelled event cannot be published again. Create a new event."))
    if event.status == OutreachEvent.Status.PUBLISHED:
        return 0
    now = timezone.now()
    event.status = OutreachEvent.Status.PUBLISHED
    event.published_at = now
    upcoming = event.next_occurrence(now)
    if upcoming is not None:
        event.notified_at = now
    event.save(update_fields=["status", "published_at", "notified_at", "updated_at"])
    if upcoming is None:
        return 0  # an event entered afterwards, for the record: nobody to tell
    return _queue_notices(event, notices.PUBLISHED)


@transaction.atomic
def event_update(
    *,
    actor,
    event: OutreachEvent,
    communities: Iterable[PriorityCommunity] | None = None,
    partners: Iterable[Partner] | None = None,
    hosts: Iterable[Liaison] | None = None,
    **fields,
) -> int:
    """Save changes. If a published event's time or place changed, its audience gets a
    "changed" notice (each change its own). Returns how many notices were queued."""
    _require_manager(actor, event)
    event = _lock(event)
    if event.status == OutreachEvent.Status.CANCELLED:
        raise ValidationError(_("A cancelled event cannot be changed."))
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    before = {name: getattr(event, name) for name in TIME_AND_PLACE}
    # From the locked row, before the change: which translations the new source text leaves stale.
    texts_before = content.snapshot(event, _translated_fields())
    for name, value in fields.items():
        setattr(event, name, value)
    if event.recurrence != OutreachEvent.Recurrence.MONTHLY:
        event.repeat_until = None
    event.stale_translations = content.changed_sources(event, texts_before, _translated_fields())
    event_validate(
        start=event.start,
        end=event.end,
        time_zone=event.time_zone,
        recurrence=event.recurrence,
        repeat_until=event.repeat_until,
        interpretation_languages=event.interpretation_languages or [],
        title=_default_title(fields, event),
    )
    changed = any(getattr(event, name) != value for name, value in before.items())
    now = timezone.now()
    notify = changed and event.status == OutreachEvent.Status.PUBLISHED and event.next_occurrence(now)
    if notify:
        event.change_count += 1
        event.notified_at = now
        event.reminded_for = None
    event.full_clean(exclude=["created_by"], validate_constraints=False)
    event.save()
    if communities is not None:
        event.communities.set(list(communities))
    if partners is not None:
        event.partners.set(list(partners))
    if hosts is not None:
        event.hosts.set(list(hosts))
    if not notify:
        return 0
    return _queue_notices(event, notices.CHANGED)


@transaction.atomic
def event_cancel(*, actor, event: OutreachEvent) -> int:
    """Cancel; a published event's audience is told. Returns how many notices were queued."""
    _require_manager(actor, event)
    event = _lock(event)
    if event.status == OutreachEvent.Status.CANCELLED:
        return 0
    was_published = event.status == OutreachEvent.Status.PUBLISHED
    now = timezone.now()
    event.status = OutreachEvent.Status.CANCELLED
    event.cancelled_at = now
    event.save(update_fields=["status", "cancelled_at", "updated_at"])
    if not was_published or event.next_occurrence(now) is None:
        return 0
    return _queue_notices(event, notices.CANCELLED)


@transaction.atomic
def reminders_queue_due(*, now: dt.datetime | None = None) -> int:
    """Queue reminders for occurrences starting within OUTREACH_REMINDER_HOURS. Run by beat:
    future sends are found in the database, never parked in the broker as ETA tasks."""
    now = now or timezone.now()
    window = dt.timedelta(hours=int(settings.OUTREACH_REMINDER_HOURS))
    total = 0
    candidates = OutreachEvent.objects.filter(status=OutreachEvent.Status.PUBLISHED).not_over(now)
    for event in candidates.filter(start__lte=now + window):
        occurrence = event.next_occurrence(now)
        if occurrence is None or occurrence <= now or occurrence > now + window:
            continue
        if event.reminded_for == occurrence:
            continue
        event = OutreachEvent.objects.select_for_update(skip_locked=True).filter(pk=event.pk).first()
        if event is None or event.reminded_for == occurrence:
            continue  # another run holds it or did it
        # An announcement sent inside the window already told everyone: it is the reminder.
        # Beat runs this for every agency: each event's audience is its own agency's.
        if not (event.notified_at and event.notified_at >= occurrence - window):
            with agency_context.use(event.agency_id):
                total += _queue_notices(event, notices.REMINDER, occurrence)
        event.reminded_for = occurrence
        event.save(update_fields=["reminded_for"])
    return total


@transaction.atomic
def event_record_attendance(
    *,
    actor,
    event: OutreachEvent,
    date: dt.date,
    total: int,
    by_community: dict[PriorityCommunity, int] | None = None,
) -> EventAttendance:
    """Record (or correct) how many came to one occurrence. Each hosting liaison gets one
    contact for it in their quarter, through the liaison app's own service."""
    _require_manager(actor, event)
    by_community = {c: n for c, n in (by_community or {}).items() if n}
    errors: dict[str, list[str]] = {}
    occurrence_dates = {o.astimezone(event.tz).date() for o in event.occurrences(limit=200)}
    if date not in occurrence_dates:
        errors.setdefault("date", []).append(_("Choose a date on which the event took place."))
    elif date > timezone.localdate():
        errors.setdefault("date", []).append(_("Attendance can be recorded only after the event."))
    if event.status == OutreachEvent.Status.CANCELLED:
        errors.setdefault("date", []).append(_("The event was cancelled."))
    if total is None or total < 1:
        errors.setdefault("total", []).append(_("Enter how many people came (at least 1)."))
    elif sum(by_community.values()) > total:
        errors.setdefault("total", []).append(_("The counts by community add up to more than the total."))
    if errors:
        raise ValidationError(errors)
    attendance, _created = EventAttendance.objects.update_or_create(
        event=event, date=date, defaults={"total": total, "recorded_by": actor}
    )
    attendance.by_community.all().delete()
    CommunityAttendance.objects.bulk_create(
        [CommunityAttendance(attendance=attendance, community=c, count=n) for c, n in by_community.items()]
    )
    communities = list(event.communities.all()) or list(by_community)
    if not communities:
        raise ValidationError(
            {"total": [_("Add the audience communities to the event, or count people by community.")]}
        )
    existing = {c.liaison_id: c for c in attendance.contacts.all()}
    interpreters = ", ".join(language_name(c) for c in event.interpretation_languages)
    for host in event.hosts.select_related("user"):
        fields = {
            "date": date,
            "kind": Contact.Kind.EVENT,
            "communities": communities,
            "language": event.language,
            "people_reached": total,
            "interpreter_used": bool(interpreters),
            "interpreter_detail": interpreters[:120],
            "partner": event.partners.first(),
            "notes": _("Outreach event: %(title)s") % {"title": event.title},
        }
        # The recorder logs on each host's behalf; the liaison service still checks the
        # contact rules (dates, active communities) and counts it in the host's quarter.
        as_user = actor if liaison_services.can_write_contact(actor=actor, liaison=host) else host.user
        if host.pk in existing:
            liaison_services.contact_update(actor=as_user, contact=existing[host.pk], **fields)
        else:
            contact = liaison_services.contact_log(actor=as_user, liaison=host, **fields)
            attendance.contacts.add(contact)
    return attendance


def event_record_attendance_once(
    *, actor, event: OutreachEvent, client_id, **fields
) -> tuple[EventAttendance, bool]:
    """Record attendance a device sent with its own identifier, once: the same identifier
    again returns (the attendance it recorded, False) and changes nothing, even when it
    arrives after a later correction. The receipt is taken first, so two sends at once wait
    on its unique key rather than both writing the count."""
    if client_id is None:
        return event_record_attendance(actor=actor, event=event, **fields), True
    earlier = _receipt(client_id, event)
    if earlier is not None:
        return earlier.attendance, False
    try:
        with transaction.atomic():
            receipt = AttendanceReceipt.objects.create(client_id=client_id, recorded_by=actor)
            attendance = event_record_attendance(actor=actor, event=event, **fields)
            receipt.attendance = attendance
            receipt.save(update_fields=["attendance"])
            return attendance, True
    except IntegrityError:
        earlier = _receipt(client_id, event)
        if earlier is None:
            raise
        return earlier.attendance, False


def _receipt(client_id, event: OutreachEvent) -> AttendanceReceipt | None:
    earlier = AttendanceReceipt.objects.select_related("attendance").filter(pk=client_id).first()
    if earlier is not None and (earlier.attendance is None or earlier.attendance.event_id != event.pk):
        raise liaison_services.ClientIdTaken(client_id)
    return earlier


# --- Subscribers ------------------------------------------------------------------------


def normalise_phone(raw: str) -> str:
    """E.164 ("+14125550123") or a ValidationError in the visitor's language."""
    try:
        number = phonenumbers.parse(raw, settings.OUTREACH_PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a phone number that can receive text messages, for example %(example)s.")
            % {"example": "412-555-0123"},
            code="invalid_phone",
        )
    if phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
    ):
        raise ValidationError(
            _("This looks like a landline. Enter a mobile number, or choose e-mail."), code="landline"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    value = (raw or "").strip()
    try:
        validate_email(value)
    except ValidationError:
        # Django's own words: already translated into every language Django speaks.
        raise ValidationError(_("Enter a valid email address."), code="invalid_email") from None
    local, _at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def subscriber_signup(
    *,
    channel: str,
    address: str,
    language: str,
    communities: Iterable[PriorityCommunity] = (),
    consent_method: str,
    wants_meetings: bool = True,
    wants_alerts: bool = False,
) -> Subscriber:
    """Store an unconfirmed subscriber (or find the existing one) and queue the confirmation.

    Nothing but the confirmation is ever sent before the link in it is followed. For an
    address already confirmed, the new choices apply only once that link is followed too.
    """
    if channel not in Subscriber.Channel.values:
        raise ValidationError({"channel": [_("Choose e-mail or text message.")]})
    if language not in {c for c, _n in settings.LANGUAGES}:
        raise ValidationError({"language": [_("Choose a language from the list.")]})
    try:
        address = (
            normalise_email(address) if channel == Subscriber.Channel.EMAIL else normalise_phone(address)
        )
    except ValidationError as exc:
        raise ValidationError(
            {"email" if channel == Subscriber.Channel.EMAIL else "phone": exc.messages}
        ) from None
    if not (wants_meetings or wants_alerts):
        raise ValidationError({"wants_meetings": [_("Choose meeting notices, safety alerts or both.")]})
    consent = consent_text()
    communities = list(communities)
    today = timezone.localdate()
    if any(not c.is_active_on(today) for c in communities):
        raise ValidationError({"communities": [_("Choose communities from the list.")]})
    field = "email" if channel == Subscriber.Channel.EMAIL else "phone"
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(**{field: address}).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(
                        channel=channel,
                        **{field: address},
                        language=language,
                        consent_at=now,
                        consent_method=consent_method[:120],
                        consent_version=CONSENT_VERSION,
                        consent_text=consent,
                        wants_meetings=wants_meetings,
                        wants_alerts=wants_alerts,
                    )
                    subscriber.communities.set(communities)
            except IntegrityError:  # the same address signed up at the same instant
                subscriber = Subscriber.objects.select_for_update().get(**{field: address})
        elif not subscriber.is_confirmed:
            subscriber.language = language
            subscriber.consent_at, subscriber.consent_method = now, consent_method[:120]
            subscriber.consent_version, subscriber.consent_text = CONSENT_VERSION, consent
            subscriber.wants_meetings, subscriber.wants_alerts = wants_meetings, wants_alerts
            subscriber.save()
            subscriber.communities.set(communities)
        messaging.message_queue(
            outgoing=[
                notices.build_confirmation(
                    subscriber=subscriber,
                    language=language,
                    community_ids=[c.pk for c in communities],
                    wants_meetings=wants_meetings,
                    wants_alerts=wants_alerts,
                )
            ]
        )
    return subscriber


class TokenError(Exception):
    """A confirmation or unsubscribe link that is expired, forged or already used."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "expired" or "invalid"


def subscriber_from_confirm_token(token: str) -> tuple[Subscriber, dict]:
    try:
        data = signing.loads(
            token, salt=notices.CONFIRM_SALT, max_age=dt.timedelta(hours=int(settings.OUTREACH_CONFIRM_HOURS))
        )
    except signing.SignatureExpired:
        raise TokenError("expired") from None
    except signing.BadSignature:
        raise TokenError("invalid") from None
    subscriber = Subscriber.objects.filter(pk=data.get("s")).first()
    if subscriber is None:
        raise TokenError("invalid")
    return subscriber, data


@transaction.atomic
def subscriber_confirm(*, token: str) -> Subscriber:
    subscriber, data = subscriber_from_confirm_token(token)
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    communities = PriorityCommunity.objects.active_on(timezone.localdate()).filter(pk__in=data.get("c", []))
    language = data.get("l")
    if language in {c for c, _n in settings.LANGUAGES}:
        subscriber.language = language
    # What they asked for travels in the token; an older token (meeting notices only, from
    # before alerts) has neither key and keeps what the subscriber has.
    meetings, wanted_alerts = data.get("m", subscriber.wants_meetings), data.get("a", subscriber.wants_alerts)
    if meetings or wanted_alerts:
        subscriber.wants_meetings, subscriber.wants_alerts = bool(meetings), bool(wanted_alerts)
    if subscriber.wants_alerts and "a" in data:
        # The words they agreed to in this sign-up (an already confirmed address keeps its
        # record until now).
        subscriber.consent_text = consent_text()
        subscriber.consent_version = CONSENT_VERSION
    if not subscriber.is_confirmed:
        subscriber.confirmed_at = timezone.now()
    subscriber.save()
    subscriber.communities.set(list(communities))
    return subscriber


def subscriber_from_unsubscribe_token(token: str) -> Subscriber:
    """An e-mail link carries the subscriber's random token, an SMS link the short code;
    neither expires. E-mails sent before the random token carry a signed one
    (code:timestamp:signature): it is honoured at any age, as those e-mails promised."""
    if ":" in token:
        try:
            # No max_age: do not add one back, a link in an old e-mail must still stop notices.
            code = signing.TimestampSigner(salt=notices.UNSUBSCRIBE_SALT).unsign(token)
        except signing.BadSignature:
            raise TokenError("invalid") from None
        subscriber = Subscriber.objects.filter(unsubscribe_code=code).first()
    else:
        subscriber = Subscriber.objects.filter(Q(unsubscribe_token=token) | Q(unsubscribe_code=token)).first()
    if subscriber is None:
        raise TokenError("invalid")
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, token: str) -> None:
    """Delete the subscriber: the address is gone from the subscriber list and from the
    outbox rows of their notices (those not yet sent are stopped)."""
    subscriber = subscriber_from_unsubscribe_token(token)
    messaging.message_forget(rows=notices.subscriber_message_keys(subscriber.pk))
    subscriber.delete()


def _sms_reply(*, phone: str, stop: bool) -> Subscriber | None:
    """STOP or START from `phone`: messaging's opt-out set or lifted, the subscription (if the
    number has one) paused or resumed as it was, and an audit entry only when something
    changed, with no number in it (the subscriber's id says who, while the row lives)."""
    changed = messaging.sms_opt_out(phone=phone) if stop else messaging.sms_opt_in(phone=phone)
    subscriber = (
        Subscriber.objects.select_for_update().filter(channel=Subscriber.Channel.SMS, phone=phone).first()
    )
    if subscriber is not None and (subscriber.sms_stopped_at is None) == stop:
        subscriber.sms_stopped_at = timezone.now() if stop else None
        subscriber.save(update_fields=["sms_stopped_at"])
        changed = True
    if changed:
        audit_record(
            event=audit_events.SUBSCRIBER_SMS_STOP if stop else audit_events.SUBSCRIBER_SMS_START,
            target=subscriber,
            data={"subscriber": subscriber.pk if subscriber else None},
        )
    return subscriber


@transaction.atomic
def subscriber_sms_stop(*, phone: str) -> Subscriber | None:
    """The number replied STOP: no SMS of any kind goes to it any more (messaging's opt-out),
    and its subscription, if it has one, is paused rather than deleted, so that START brings
    it back as it was. Returns the subscriber, or None for a number that is not one (someone
    who left it with a concern). Idempotent: a second STOP changes and records nothing."""
    return _sms_reply(phone=phone, stop=True)


@transaction.atomic
def subscriber_sms_start(*, phone: str) -> Subscriber | None:
    """The number replied START: SMS may go to it again, and a paused subscription resumes
    with the same language and communities. START never subscribes a number that is not a
    subscriber: that takes the double opt-in of the sign-up page."""
    return _sms_reply(phone=phone, stop=False)


@transaction.atomic
def subscribers_purge_unconfirmed(*, now: dt.datetime | None = None) -> int:
    """Delete sign-ups whose confirmation link has expired: an address nobody confirmed is
    not kept."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=int(settings.OUTREACH_CONFIRM_HOURS))
    stale = Subscriber.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff, consent_at__lt=cutoff)
    count = 0
    for pk in list(stale.values_list("pk", flat=True)):
        messaging.message_forget(rows=notices.subscriber_message_keys(pk))
        count += 1
    stale.delete()
    return count


# --- Safety alerts ----------------------------------------------------------------------

ALERT_FIELDS = {"kind", "area", "languages", "show_until"} | {
    col for name in alerts.TRANSLATED for col in content.columns(name)
}


def can_approve_alert(*, actor) -> bool:
    return actor.has_perm("outreach.approve_alert")


def _precise_message() -> str:
    return _(
        "This looks like a street address or a flat number. Give only the area, for example "
        "“near Main Street” or “the East End”, and never a person's name."
    )


def alert_validate(*, fields: dict, communities: list, everyone: bool) -> None:
    """Raise a ValidationError mapping each field to a message in the user's language."""
    errors: dict[str, list[str]] = {}
    default = settings.LANGUAGE_CODE
    for name, message in (
        ("title", _("Enter a headline in %(language)s; other languages fall back to it.")),
        ("body", _("Enter what people should know in %(language)s; other languages fall back to it.")),
    ):
        if not (fields.get(content.column(name, default)) or "").strip():
            errors.setdefault(content.column(name, default), []).append(
                message % {"language": language_name(default)}
            )
    area = (fields.get("area") or "").strip()
    if not area:
        errors.setdefault("area", []).append(_("Enter the area, for example “near Main Street”."))
    elif alerts.looks_precise(area):
        errors.setdefault("area", []).append(_precise_message())
    for name in alerts.TRANSLATED:
        for col in content.columns(name):
            if alerts.looks_precise(fields.get(col) or ""):
                errors.setdefault(col, []).append(_precise_message())
    if not communities and not everyone:
        errors.setdefault("communities", []).append(
            _("Choose the communities to warn, or tick “Everyone” to send it to every subscriber.")
        )
    unknown = [c for c in fields.get("languages") or [] if c not in {code for code, _n in settings.LANGUAGES}]
    if unknown:
        errors.setdefault("languages", []).append(_("Choose languages from the list."))
    if errors:
        raise ValidationError(errors)


def _lock_alert(alert: SafetyAlert) -> SafetyAlert:
    return SafetyAlert.objects.select_for_update().get(pk=alert.pk)


@transaction.atomic
def alert_save(
    *,
    actor,
    alert: SafetyAlert | None = None,
    communities: Iterable[PriorityCommunity] = (),
    everyone: bool = False,
    **fields,
) -> SafetyAlert:
    """Create a draft, or change one not sent yet. A liaison's change to an alert waiting
    for approval takes it back to draft: it is confirmed and sent for approval again."""
    perm = "outreach.change_safetyalert" if alert else "outreach.add_safetyalert"
    if not actor.has_perm(perm):
        raise PermissionDenied(_("You cannot draft safety alerts."))
    unknown = set(fields) - ALERT_FIELDS
    if unknown:
        raise TypeError(f"unknown alert fields: {sorted(unknown)}")
    communities = list(communities)
    if alert is not None:
        alert = _lock_alert(alert)
        if alert.status not in (SafetyAlert.Status.DRAFT, SafetyAlert.Status.SUBMITTED):
            raise ValidationError(_("This alert was sent or withdrawn and can no longer be changed."))
        merged = {**content.snapshot(alert, alerts.TRANSLATED), "area": alert.area, **fields}
    else:
        merged = dict(fields)
    alert_validate(fields=merged, communities=communities, everyone=everyone)
    if alert is None:
        alert = SafetyAlert(drafted_by=actor, **fields)
        before = None
    else:
        before = content.snapshot(alert, alerts.TRANSLATED)
        for name, value in fields.items():
            setattr(alert, name, value)
        alert.stale_translations = content.changed_sources(alert, before, alerts.TRANSLATED)
        if alert.status == SafetyAlert.Status.SUBMITTED and not can_approve_alert(actor=actor):
            alert.status, alert.submitted_at = SafetyAlert.Status.DRAFT, None
    alert.languages = list(alert.languages or [])
    alert.full_clean(exclude=["drafted_by", "approved_by"], validate_constraints=False)
    alert.save()
    alert.communities.set(communities)
    audit_record(
        event=alerts.ALERT_SAVED, actor=actor, target=alert, data={"alert": alert.pk, "new": before is None}
    )
    return alert


@transaction.atomic
def alert_submit(*, actor, alert: SafetyAlert, confirmed: bool) -> SafetyAlert:
    """Send a draft for a coordinator's approval, once the drafter confirmed that no one is
    named and no address more precise than the area is given."""
    if not actor.has_perm("outreach.change_safetyalert"):
        raise PermissionDenied(_("You cannot draft safety alerts."))
    alert = _lock_alert(alert)
    if alert.status == SafetyAlert.Status.SUBMITTED:
        return alert
    if alert.status != SafetyAlert.Status.DRAFT:
        raise ValidationError(_("This alert was sent or withdrawn and can no longer be changed."))
    if not confirmed:
        raise ValidationError(
            {"confirm": [_("Tick the box to confirm that no one is named and no precise address is given.")]}
        )
    fields = {**content.snapshot(alert, alerts.TRANSLATED), "area": alert.area, "languages": alert.languages}
    alert_validate(fields=fields, communities=list(alert.communities.all()), everyone=True)
    missing = [
        language_name(code)
        for code in alert.languages
        if code != settings.LANGUAGE_CODE and not getattr(alert, content.column("title", code), "")
    ]
    if missing:
        raise ValidationError(
            {
                "languages": [
                    _("Write the headline in each language needed: %(languages)s.")
                    % {"languages": ", ".join(missing)}
                ]
            }
        )
    alert.status, alert.submitted_at = SafetyAlert.Status.SUBMITTED, timezone.now()
    alert.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(event=alerts.ALERT_SUBMITTED, actor=actor, target=alert, data={"alert": alert.pk})
    return alert


def _queue_alert(alert: SafetyAlert) -> int:
    total, batch = 0, []
    # Chunks keep memory flat for large audiences; each chunk is one bulk insert.
    for sub in alerts.alert_recipients(alert).iterator(chunk_size=2000):
        batch.append(sub)
        if len(batch) == 2000:
            total += len(messaging.message_queue(outgoing=alerts.build_alert_messages(alert, batch)))
            batch = []
    if batch:
        total += len(messaging.message_queue(outgoing=alerts.build_alert_messages(alert, batch)))
    return total


@transaction.atomic
def alert_approve(*, actor, alert: SafetyAlert) -> int:
    """A coordinator approves an alert waiting for approval: it is sent, in the same
    transaction, to every subscriber who asked for alerts of its communities, and shown on
    the public alerts page. Returns how many messages were queued.

    Approving twice (a double click, a retry) sends nothing twice: the second call finds the
    row sent under the lock, and the outbox keys would refuse a second copy anyway."""
    if not can_approve_alert(actor=actor):
        raise PermissionDenied(_("Only a coordinator can approve and send safety alerts."))
    alert = _lock_alert(alert)
    if alert.status == SafetyAlert.Status.SENT:
        return 0
    if alert.status != SafetyAlert.Status.SUBMITTED:
        raise ValidationError(
            _("Only an alert sent for approval can be approved.")
            if alert.status == SafetyAlert.Status.DRAFT
            else _("This alert was withdrawn and cannot be sent.")
        )
    alert.status, alert.sent_at, alert.approved_by = SafetyAlert.Status.SENT, timezone.now(), actor
    alert.save(update_fields=["status", "sent_at", "approved_by", "updated_at"])
    queued = _queue_alert(alert)
    audit_record(
        event=alerts.ALERT_APPROVED, actor=actor, target=alert, data={"alert": alert.pk, "queued": queued}
    )
    return queued


@transaction.atomic
def alert_withdraw(*, actor, alert: SafetyAlert) -> SafetyAlert:
    """Take an alert off the public pages (a mistake, or no longer true). Nothing more is
    sent: messages still queued are stopped, those already sent stay sent, none is queued
    again."""
    if not can_approve_alert(actor=actor):
        raise PermissionDenied(_("Only a coordinator can withdraw safety alerts."))
    alert = _lock_alert(alert)
    if alert.status == SafetyAlert.Status.WITHDRAWN:
        return alert
    alert.status, alert.withdrawn_at = SafetyAlert.Status.WITHDRAWN, timezone.now()
    alert.save(update_fields=["status", "withdrawn_at", "updated_at"])
    stopped = messaging.message_stop(
        rows=Q(key__startswith=f"alert:{alert.pk}:"), reason="The alert was withdrawn before it was sent."
    )
    audit_record(
        event=alerts.ALERT_WITHDRAWN, actor=actor, target=alert, data={"alert": alert.pk, "stopped": stopped}
    )
    return alert
