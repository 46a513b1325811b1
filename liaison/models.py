"""The unit's own records. There is no field for immigration status, citizenship, visa or
documentation status anywhere in Bridge, and contacts never hold private people's names."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.formats import time_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies.managers import scoped
from agencies.models import AgencyOwned

from .languages import LANGUAGE_CHOICES, language_name


class PriorityCommunityQuerySet(models.QuerySet):
    def active_on(self, day: dt.date):
        return self.filter(Q(active_from__lte=day), Q(active_until__isnull=True) | Q(active_until__gte=day))


class PriorityCommunity(AgencyOwned):
    """A group the unit serves. Priorities change as new groups arrive: a community stops being
    a priority by getting an end date, never by being deleted, so history stays answerable."""

    class Level(models.IntegerChoices):
        HIGH = 1, _("High")
        MEDIUM = 2, _("Medium")
        LOW = 3, _("Low")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    # Translations whose source changed after they were written ("<language>:<field>"): shown as
    # not yet translated until a translator reviews them (languages.content).
    stale_translations = models.JSONField(
        _("translations to review"), default=list, blank=True, editable=False
    )
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, help_text=_('ISO 639 codes, e.g. ["ne", "dz"]')
    )
    neighbourhoods = models.CharField(_("neighbourhoods"), max_length=300, blank=True)
    estimated_population = models.PositiveIntegerField(_("estimated population"), null=True, blank=True)
    population_source = models.CharField(
        _("population source"), max_length=200, blank=True, help_text=_("e.g. American Community Survey")
    )
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    priority_level = models.PositiveSmallIntegerField(
        _("priority level"), choices=Level.choices, default=Level.MEDIUM
    )
    active_from = models.DateField(_("priority from"))
    active_until = models.DateField(_("priority until"), null=True, blank=True)

    objects = scoped(PriorityCommunityQuerySet)

    class Meta:
        verbose_name = _("priority community")
        verbose_name_plural = _("priority communities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True) | Q(active_until__gte=F("active_from")),
                name="community_active_period_ordered",
            ),
            models.UniqueConstraint(fields=["agency", "slug"], name="community_slug_per_agency"),
        ]

    def __str__(self):
        return self.name

    def is_active_on(self, day: dt.date) -> bool:
        return self.active_from <= day and (self.active_until is None or self.active_until >= day)

    @property
    def language_names(self) -> list[str]:
        return [language_name(c) for c in self.languages]


class Liaison(AgencyOwned):
    class Kind(models.TextChoices):
        SWORN = "sworn", _("Sworn officer")
        CIVILIAN = "civilian", _("Civilian liaison")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="liaison", verbose_name=_("user")
    )
    badge_number = models.CharField(_("badge or staff number"), max_length=30)
    kind = models.CharField(_("sworn or civilian"), max_length=10, choices=Kind.choices, default=Kind.SWORN)
    unit = models.CharField(_("unit or precinct"), max_length=120, blank=True)
    public_phone = models.CharField(_("public phone"), max_length=40, blank=True)
    public_email = models.EmailField(_("public e-mail"), blank=True)
    bio = models.TextField(_("public bio"), blank=True)
    # Translations whose source changed after they were written ("<language>:<field>"): shown as
    # not yet translated until a translator reviews them (languages.content).
    stale_translations = models.JSONField(
        _("translations to review"), default=list, blank=True, editable=False
    )
    photo = models.ImageField(_("photo"), upload_to="liaisons/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("liaison")
        verbose_name_plural = _("liaisons")
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "badge_number"], name="badge_number_per_agency")
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class LanguageSkill(AgencyOwned):
    agency_from = "liaison"

    class Proficiency(models.IntegerChoices):
        NATIVE = 1, _("Native")
        FLUENT = 2, _("Fluent")
        CONVERSATIONAL = 3, _("Conversational")
        BASIC = 4, _("Basic")

    liaison = models.ForeignKey(
        Liaison, on_delete=models.CASCADE, related_name="languages", verbose_name=_("liaison")
    )
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    proficiency = models.PositiveSmallIntegerField(
        _("proficiency"), choices=Proficiency.choices, default=Proficiency.FLUENT
    )

    class Meta:
        verbose_name = _("language skill")
        verbose_name_plural = _("language skills")
        ordering = ["proficiency", "language"]
        constraints = [models.UniqueConstraint(fields=["liaison", "language"], name="one_skill_per_language")]
        indexes = [models.Index(fields=["language"], name="languageskill_language")]

    def __str__(self):
        return f"{self.get_language_display()} ({self.get_proficiency_display()})"


class AssignmentQuerySet(models.QuerySet):
    def current_on(self, day: dt.date):
        return self.filter(Q(starts_on__lte=day), Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Assignment(AgencyOwned):
    """A liaison covers a community for a period: "who covered the Bhutanese in Q2 2025?"."""

    agency_from = "liaison"

    liaison = models.ForeignKey(
        Liaison, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("liaison")
    )
    community = models.ForeignKey(
        PriorityCommunity, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("community")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    objects = scoped(AssignmentQuerySet)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="assignment_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.liaison} → {self.community}"


class Partner(AgencyOwned):
    class Kind(models.TextChoices):
        FAITH = "faith", _("Faith institution")
        CBO = "cbo", _("Community-based organisation")
        BUSINESS = "business", _("Business")
        SCHOOL = "school", _("School")
        SERVICE = "service", _("Service provider")
        MEDIA = "media", _("Ethnic media")
        LEADER = "leader", _("Informal leader")
        # Bodies that meet on a schedule with police present: a liaison's attendance at one of
        # their meetings is logged as a contact with the partner, like any other.
        COUNCIL = "council", _("Precinct community council")
        SAFETY_ASSOCIATION = "safety_assoc", _("Community public safety association")

    class Week(models.IntegerChoices):
        FIRST = 1, _("First")
        SECOND = 2, _("Second")
        THIRD = 3, _("Third")
        FOURTH = 4, _("Fourth")
        LAST = -1, _("Last")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    communities = models.ManyToManyField(
        PriorityCommunity, related_name="partners", blank=True, verbose_name=_("communities served")
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # A regular meeting, "the second Tuesday of each month at 19:00" (councils, associations,
    # any partner that meets on a schedule); all three or none.
    meeting_week = models.SmallIntegerField(_("meets on the"), choices=Week.choices, null=True, blank=True)
    meeting_weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, null=True, blank=True
    )
    meeting_time = models.TimeField(_("at"), null=True, blank=True)
    meeting_place = models.CharField(_("meets at"), max_length=250, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("community partner")
        verbose_name_plural = _("community partners")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    meeting_week__isnull=True, meeting_weekday__isnull=True, meeting_time__isnull=True
                )
                | Q(meeting_week__isnull=False, meeting_weekday__isnull=False, meeting_time__isnull=False),
                name="partner_meeting_pattern_whole",
                # Shown by the admin's form (model validation checks constraints), in the reader's language.
                violation_error_message=_(
                    "A regular meeting needs the week, the weekday and the time, or none of them."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def meets_regularly(self) -> bool:
        return self.meeting_week is not None

    def meets_on(self, day: dt.date) -> bool:
        """Whether the regular meeting falls on `day`."""
        if not self.meets_regularly or day.weekday() != self.meeting_weekday:
            return False
        if self.meeting_week == self.Week.LAST:
            return (day + dt.timedelta(days=7)).month != day.month
        return (day.day - 1) // 7 + 1 == self.meeting_week

    def meeting_summary(self) -> str:
        """ "Second Tuesday of the month, 19:00" in the active language, or ""."""
        if not self.meets_regularly:
            return ""
        return gettext("%(week)s %(weekday)s of the month, %(time)s") % {
            "week": self.Week(self.meeting_week).label,
            "weekday": self.Weekday(self.meeting_weekday).label,
            "time": time_format(self.meeting_time),
        }

    def next_meeting(self, after: dt.date) -> dt.date | None:
        """The first meeting day on or after `after` (within the next two months)."""
        if not self.meets_regularly:
            return None
        for offset in range(0, 63):
            day = after + dt.timedelta(days=offset)
            if self.meets_on(day):
                return day
        return None


class Topic(models.Model):
    """A managed list of what contacts were about (crime prevention, know your rights, ...)."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    # Translations whose source changed after they were written ("<language>:<field>"): shown as
    # not yet translated until a translator reviews them (languages.content).
    stale_translations = models.JSONField(
        _("translations to review"), default=list, blank=True, editable=False
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Contact(AgencyOwned):
    """One logged interaction of a liaison with a community. It counts people reached, never
    who they were: no names or any status of private community members."""

    agency_from = "liaison"

    class Kind(models.TextChoices):
        FORMAL_MEETING = "formal_meeting", _("Formal meeting")
        INFORMAL_VISIT = "informal_visit", _("Informal visit")
        PHONE_CALL = "phone_call", _("Phone call")
        PRESENTATION = "presentation", _("Presentation or workshop")
        EVENT = "event", _("Event")
        SCHOOL_VISIT = "school_visit", _("School visit")
        SOCIAL_MEDIA = "social_media", _("Social media")
        OTHER = "other", _("Other")

    liaison = models.ForeignKey(
        Liaison, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("liaison")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind of contact"), max_length=20, choices=Kind.choices)
    communities = models.ManyToManyField(
        PriorityCommunity, related_name="contacts", verbose_name=_("communities")
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("partner"),
    )
    people_reached = models.PositiveIntegerField(_("people reached"), default=1)
    language = models.CharField(_("language used"), max_length=10, choices=LANGUAGE_CHOICES)
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    interpreter_detail = models.CharField(
        _("which interpreter"), max_length=120, blank=True, help_text=_("Language line or person")
    )
    topics = models.ManyToManyField(Topic, related_name="contacts", blank=True, verbose_name=_("topics"))
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Made by the liaison's device for each contact it saves (static/js/offline_store.js):
    # the server accepts each one once, so a retry, a double tap or two tabs sending the same
    # queued contact never log it twice. Empty for contacts logged another way.
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-date", "-id"]
        permissions = [
            ("view_all_contacts", "Can see every liaison's contacts"),
            ("manage_all_contacts", "Can edit and delete every liaison's contacts"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(people_reached__gte=1), name="contact_reaches_someone"),
            models.CheckConstraint(
                condition=Q(follow_up_due__isnull=True) | Q(follow_up_due__gte=F("date")),
                name="contact_follow_up_after_contact",
            ),
        ]
        # Both in the list's order (-date, -id): a page of the contact list, every liaison's
        # or one liaison's, reads its rows straight off an index, however deep. The first
        # also serves date ranges.
        indexes = [
            models.Index(fields=["liaison", "-date", "-id"], name="contact_liaison_date_id"),
            models.Index(fields=["-date", "-id"], name="contact_date_id"),
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} ({self.liaison})"


class QuarterlyTarget(AgencyOwned):
    """Contacts expected per quarter: one unit default (no liaison) and per-liaison overrides."""

    agency_from = "liaison"

    liaison = models.OneToOneField(
        Liaison,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="target",
        verbose_name=_("liaison"),
        help_text=_("Leave empty for the unit's default target."),
    )
    contacts = models.PositiveIntegerField(_("contacts per quarter"))

    class Meta:
        verbose_name = _("quarterly target")
        verbose_name_plural = _("quarterly targets")
        constraints = [
            # One row per liaison and exactly one unit default (liaison empty -> 0).
            models.UniqueConstraint(
                "agency", Coalesce("liaison", Value(0)), name="one_target_per_liaison_or_unit"
            ),
        ]

    def __str__(self):
        return f"{self.liaison or _('Unit default')}: {self.contacts}"
