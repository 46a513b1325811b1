"""Engagement requests: a commander asks the liaison unit to engage a community about
something specific (a crime pattern in a building, a school, an event), and sees it through.

A request moves requested -> assigned -> engaged -> follow-up -> closed. It links to what the
unit did for it: the contacts logged, the events held, the safety alerts sent, so the commander
reads what was done and when. It holds no private person's name or details."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import AgencyOwned
from liaison.models import Contact, Liaison, PriorityCommunity
from outreach.models import OutreachEvent, SafetyAlert


class EngagementRequest(AgencyOwned):
    class Kind(models.TextChoices):
        CRIME_PATTERN = "crime_pattern", _("A crime pattern")
        BUILDING = "building", _("A building or a block")
        SCHOOL = "school", _("A school")
        EVENT = "event", _("An event")
        OTHER = "other", _("Something else")

    class Urgency(models.IntegerChoices):
        URGENT = 1, _("Urgent: this week")
        SOON = 2, _("Soon: within a month")
        ROUTINE = 3, _("When the unit can")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ASSIGNED = "assigned", _("Assigned")
        ENGAGED = "engaged", _("Engaged")
        FOLLOW_UP = "follow_up", _("Follow-up")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("about"), max_length=20, choices=Kind.choices, default=Kind.CRIME_PATTERN)
    subject = models.CharField(_("in a few words"), max_length=160)
    details = models.TextField(
        _("what the unit should know"), blank=True, help_text=_("No names or details of private people.")
    )
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("A building, a block, a school.")
    )
    communities = models.ManyToManyField(
        PriorityCommunity, related_name="engagement_requests", verbose_name=_("communities concerned")
    )
    languages = models.JSONField(
        _("languages needed"), default=list, blank=True, help_text=_('ISO 639 codes, e.g. ["zh-hans", "yue"]')
    )
    urgency = models.PositiveSmallIntegerField(_("how urgent"), choices=Urgency.choices, default=Urgency.SOON)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    liaisons = models.ManyToManyField(
        Liaison, related_name="engagement_requests", blank=True, verbose_name=_("assigned liaisons")
    )
    contacts = models.ManyToManyField(Contact, related_name="+", blank=True, verbose_name=_("contacts"))
    events = models.ManyToManyField(OutreachEvent, related_name="+", blank=True, verbose_name=_("events"))
    alerts = models.ManyToManyField(
        SafetyAlert, related_name="+", blank=True, verbose_name=_("safety alerts")
    )
    outcome = models.TextField(_("what came of it"), blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    # The first time the unit met the community for it: the first linked contact or event, or
    # the move to "engaged", whichever came first. The dashboard's "days to first engagement".
    first_engaged_at = models.DateTimeField(_("first engaged"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("engagement request")
        verbose_name_plural = _("engagement requests")
        ordering = ["urgency", "-requested_at"]
        permissions = [
            ("raise_request", "Can ask the liaison unit to engage a community"),
            ("assign_request", "Can assign liaisons to engagement requests"),
            ("view_all_requests", "Can see every engagement request"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="request_closed_has_a_time"
            ),
        ]
        indexes = [models.Index(fields=["status", "urgency"], name="request_status_urgency")]

    def __str__(self):
        return self.subject

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class RequestStep(AgencyOwned):
    """The request's history: each move and note, who and when (the commander's timeline)."""

    agency_from = "request"

    request = models.ForeignKey(
        EngagementRequest, on_delete=models.CASCADE, related_name="steps", verbose_name=_("request")
    )
    status = models.CharField(_("status"), max_length=12, choices=EngagementRequest.Status.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("request step")
        verbose_name_plural = _("request steps")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.request_id} {self.status}"
