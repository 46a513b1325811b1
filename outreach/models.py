"""Outreach events and the people who asked to hear about them.

A subscriber is an address (e-mail or phone), a language and communities of interest; no
name, nothing else. Unsubscribing deletes the row; replying STOP to a text message pauses it
(outreach.sms_replies)."""

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.conf import default_time_zone
from agencies.managers import scoped
from agencies.models import AgencyOwned
from liaison.languages import LANGUAGE_CHOICES, language_name
from liaison.models import Contact, Liaison, Partner, PriorityCommunity

from .recurrence import monthly_occurrences


def _default_time_zone() -> str:
    return default_time_zone()


def _unsubscribe_code() -> str:
    return secrets.token_urlsafe(8)


def _unsubscribe_token() -> str:
    return secrets.token_urlsafe(32)


class OutreachEventQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=[OutreachEvent.Status.PUBLISHED, OutreachEvent.Status.CANCELLED])

    def not_over(self, now: dt.datetime | None = None):
        """Events with an occurrence still to come (or under way)."""
        now = now or timezone.now()
        return self.filter(
            Q(end__gte=now) | Q(recurrence=OutreachEvent.Recurrence.MONTHLY, repeat_until__gte=now.date())
        )


class OutreachEvent(AgencyOwned):
    class Kind(models.TextChoices):
        COMMUNITY_MEETING = "community_meeting", _("Community meeting")
        FORUM = "forum", _("Forum")
        KNOW_YOUR_RIGHTS = "know_your_rights", _("Know-Your-Rights session")
        TRAINING_DEMO = "training_demo", _("Training demonstration")
        YOUTH_LEAGUE = "youth_league", _("Youth league")
        FESTIVAL = "festival", _("Festival")
        COMMUNITY_BASE = "community_base", _("Community assigned base meeting")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class Recurrence(models.TextChoices):
        NONE = "none", _("Does not repeat")
        MONTHLY = "monthly", _("Monthly, on the same weekday of the month")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMUNITY_MEETING)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    venue_name = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    venue_directions = models.TextField(
        _("how to find the room"), blank=True, help_text=_("Entrance, floor, parking, bus lines.")
    )
    # Translations whose source changed after they were written ("<language>:<field>"): shown as
    # not yet translated until a translator reviews them (languages.content).
    stale_translations = models.JSONField(
        _("translations to review"), default=list, blank=True, editable=False
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default=_default_time_zone)
    recurrence = models.CharField(
        _("repeats"), max_length=10, choices=Recurrence.choices, default=Recurrence.NONE
    )
    repeat_until = models.DateField(_("repeats until"), null=True, blank=True)
    language = models.CharField(
        _("language spoken at the event"), max_length=10, choices=LANGUAGE_CHOICES, default="en"
    )
    interpretation_languages = models.JSONField(
        _("interpretation offered"), default=list, blank=True, help_text=_('ISO 639 codes, e.g. ["ar", "ne"]')
    )
    communities = models.ManyToManyField(
        PriorityCommunity, related_name="outreach_events", blank=True, verbose_name=_("audience communities")
    )
    partners = models.ManyToManyField(
        Partner, related_name="outreach_events", blank=True, verbose_name=_("partners")
    )
    hosts = models.ManyToManyField(
        Liaison, related_name="hosted_events", blank=True, verbose_name=_("hosting liaisons")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Bumped each time the time or the place changes: "changed" notice number N has its own
    # outbox key, so a second change notifies again while a retry of one change never does.
    change_count = models.PositiveIntegerField(_("changes announced"), default=0)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # The last announcement (published or changed): one sent inside the reminder window
    # stands in for the reminder.
    notified_at = models.DateTimeField(_("last notice"), null=True, blank=True)
    # The occurrence whose reminders were queued last, so the reminder task skips it quickly.
    reminded_for = models.DateTimeField(_("reminders queued for"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped(OutreachEventQuerySet)

    class Meta:
        verbose_name = _("outreach event")
        verbose_name_plural = _("outreach events")
        ordering = ["start"]
        permissions = [("manage_all_events", "Can change every liaison's events")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="event_ends_after_it_starts"),
            models.CheckConstraint(
                condition=Q(recurrence="none") | Q(repeat_until__isnull=False),
                name="event_repeats_until_a_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "end"], name="event_status_end")]

    def __str__(self):
        return self.title

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def occurrences(self, *, after: dt.datetime | None = None, limit: int = 24) -> list[dt.datetime]:
        """Start times (aware) of the occurrences ending after `after`, at most `limit`."""
        if self.recurrence != self.Recurrence.MONTHLY or not self.repeat_until:
            starts = [self.start]
        else:
            starts = monthly_occurrences(self.start, self.tz, until=self.repeat_until)
        if after is not None:
            starts = [s for s in starts if s + self.duration > after]
        return starts[:limit]

    def next_occurrence(self, now: dt.datetime | None = None) -> dt.datetime | None:
        found = self.occurrences(after=now or timezone.now(), limit=1)
        return found[0] if found else None

    @property
    def interpretation_names(self) -> list[str]:
        return [language_name(c) for c in self.interpretation_languages]


class EventAttendance(AgencyOwned):
    """How many came to one occurrence, recorded afterwards; counted as a contact for each
    hosting liaison's quarter (the contacts are kept here so a correction updates them)."""

    agency_from = "event"

    event = models.ForeignKey(
        OutreachEvent, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("event")
    )
    date = models.DateField(_("date"))
    total = models.PositiveIntegerField(_("people who came"))
    contacts = models.ManyToManyField(Contact, blank=True, related_name="+", verbose_name=_("contacts"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["event", "date"], name="one_attendance_per_occurrence"),
            models.CheckConstraint(condition=Q(total__gte=1), name="attendance_someone_came"),
        ]

    def __str__(self):
        return f"{self.event} {self.date}: {self.total}"


class AttendanceReceipt(AgencyOwned):
    """One attendance record sent from a device (static/js/offline_store.js), by the
    identifier the device made: the server applies each one once, so a retried or doubled
    send never records, or corrects, the count again."""

    agency_from = "attendance"

    client_id = models.UUIDField(primary_key=True, editable=False)
    # Taken first, before the count is written, so a second send of the same identifier waits
    # on the unique key and then finds it, instead of racing the first through the record.
    attendance = models.ForeignKey(
        EventAttendance, on_delete=models.CASCADE, null=True, related_name="receipts"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance receipt")
        verbose_name_plural = _("attendance receipts")

    def __str__(self):
        return str(self.client_id)


class CommunityAttendance(AgencyOwned):
    agency_from = "attendance"
    attendance = models.ForeignKey(
        EventAttendance, on_delete=models.CASCADE, related_name="by_community", verbose_name=_("attendance")
    )
    community = models.ForeignKey(
        PriorityCommunity, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    count = models.PositiveIntegerField(_("people"))

    class Meta:
        verbose_name = _("attendance by community")
        verbose_name_plural = _("attendance by community")
        constraints = [
            models.UniqueConstraint(fields=["attendance", "community"], name="one_count_per_community"),
        ]

    def __str__(self):
        return f"{self.community}: {self.count}"


class Subscriber(AgencyOwned):
    """Someone who asked for meeting notices: an address, a language, communities of interest.

    Double opt-in: nothing but the confirmation is sent until `confirmed_at` is set. The
    consent record says when, how and with which words they agreed.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("Text message (SMS)")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone (E.164)"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    communities = models.ManyToManyField(
        PriorityCommunity,
        related_name="subscribers",
        blank=True,
        verbose_name=_("communities of interest"),
        help_text=_("None means every meeting."),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consent given"))
    consent_method = models.CharField(_("how consent was given"), max_length=120)
    consent_version = models.CharField(_("consent text version"), max_length=20)
    consent_text = models.TextField(_("consent text shown"))
    # The short code in an SMS's stop link (it must fit in a text message).
    unsubscribe_code = models.CharField(max_length=20, unique=True, default=_unsubscribe_code, editable=False)
    # The e-mail's unsubscribe link: random and never expiring, so a notice read years later
    # still lets its reader stop the next ones (a signed token used to lapse after a year).
    unsubscribe_token = models.CharField(
        max_length=64, unique=True, default=_unsubscribe_token, editable=False
    )
    # What they asked for: meeting notices, safety alerts for their communities, or both.
    # Rows from before alerts existed agreed to meeting notices only, hence the defaults.
    wants_meetings = models.BooleanField(_("meeting notices"), default=True)
    wants_alerts = models.BooleanField(_("safety alerts"), default=False)
    # The number replied STOP: no notices until it replies START. Kept, not deleted, so START
    # brings back the same language and communities.
    sms_stopped_at = models.DateTimeField(_("replied STOP"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(channel="email") & ~Q(email="") & Q(phone=""))
                | (Q(channel="sms") & ~Q(phone="") & Q(email="")),
                name="subscriber_has_one_address",
            ),
            models.UniqueConstraint(
                fields=["agency", "email"], condition=~Q(email=""), name="subscriber_unique_email"
            ),
            models.UniqueConstraint(
                fields=["agency", "phone"], condition=~Q(phone=""), name="subscriber_unique_phone"
            ),
            models.CheckConstraint(
                condition=Q(wants_meetings=True) | Q(wants_alerts=True), name="subscriber_wants_something"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(confirmed_at__isnull=True), name="subscriber_pending"
            )
        ]

    def __str__(self):
        # Not the address: this name ends up in the admin's history and the audit trail,
        # which outlive an unsubscribe.
        return f"Subscriber {self.pk} ({self.channel})"

    @property
    def address(self) -> str:
        return self.email or self.phone

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class SafetyAlertQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status=SafetyAlert.Status.SENT)

    def current(self, day: dt.date | None = None):
        day = day or timezone.localdate()
        return self.public().filter(Q(show_until__isnull=True) | Q(show_until__gte=day))


class SafetyAlert(AgencyOwned):
    """A warning to communities (a crime pattern, a scam, a safety tip), drafted by a liaison
    with its text in each language side by side, approved by a coordinator, then sent once to
    the subscribers of its communities who asked for alerts and shown on the public alerts page.

    It never names a person and never gives an address more precise than the area (`area`:
    "around Fifth Avenue and Main Street", "the East End"); every alert says how to report safely
    and that nobody will be asked about immigration status (templates/outreach/alerts/)."""

    class Kind(models.TextChoices):
        PATTERN = "pattern", _("Crime pattern")
        SCAM = "scam", _("Scam or fraud")
        TIP = "tip", _("Safety tip")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for approval")
        SENT = "sent", _("Approved and sent")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PATTERN)
    title = models.CharField(_("headline"), max_length=120)
    body = models.TextField(_("what people should know"))
    advice = models.TextField(_("what to do"), blank=True)
    # Translations whose source changed after they were written ("<language>:<field>"): shown as
    # not yet translated until a translator reviews them (languages.content).
    stale_translations = models.JSONField(
        _("translations to review"), default=list, blank=True, editable=False
    )
    area = models.CharField(
        _("area"),
        max_length=120,
        help_text=_("A neighbourhood or a few streets, never a house number or a person's name."),
    )
    communities = models.ManyToManyField(
        PriorityCommunity, related_name="safety_alerts", blank=True, verbose_name=_("communities warned")
    )
    languages = models.JSONField(
        _("languages needed"), default=list, blank=True, help_text=_('ISO 639 codes, e.g. ["zh-hans", "es"]')
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    show_until = models.DateField(_("show on the alerts page until"), null=True, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    submitted_at = models.DateTimeField(_("sent for approval"), null=True, blank=True)
    sent_at = models.DateTimeField(_("approved and sent"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped(SafetyAlertQuerySet)

    class Meta:
        verbose_name = _("safety alert")
        verbose_name_plural = _("safety alerts")
        ordering = ["-sent_at", "-created_at"]
        permissions = [("approve_alert", "Can approve and send safety alerts")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="alert_sent_has_a_time"
            ),
        ]
        indexes = [models.Index(fields=["status", "-sent_at"], name="alert_status_sent")]

    def __str__(self):
        return self.title
