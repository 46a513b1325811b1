"""Agencies: one deployment (a county, a state office, a regional association) hosting Bridge
for several police departments, each sealed from the others. Every record belongs to exactly
one agency (AgencyOwned); a deployment with one agency works as if there were none."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies import context
from agencies.managers import AgencyManager

RATE = RegexValidator(
    r"^\d+/[smhd]$", _("Write a number of requests, a slash and s, m, h or d, for example 5/h.")
)


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as America/Chicago."), params={"value": value}
        )


class Agency(models.Model):
    slug = models.SlugField(
        _("short name"),
        max_length=40,
        unique=True,
        help_text=_("Also the sub-domain under the deployment's domain, e.g. storm-lake."),
    )
    name = models.CharField(_("name"), max_length=120)
    domain = models.CharField(
        _("host name"),
        max_length=200,
        blank=True,
        help_text=_("The agency's own address, e.g. bridge.storm-lake.example (optional)."),
    )
    logo = models.FileField(_("logo"), upload_to="agency-logos/", blank=True)
    languages = models.JSONField(
        _("languages offered"),
        default=list,
        blank=True,
        help_text=_("Empty: every language the deployment declares."),
    )
    default_language = models.CharField(_("default language"), max_length=10, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, validators=[validate_time_zone])
    quarter_start_month = models.PositiveSmallIntegerField(
        _("first month of the reporting year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    concern_contact_retention_days = models.PositiveIntegerField(
        _("days a closed concern keeps its contact details"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    message_address_retention_days = models.PositiveIntegerField(
        _("days a sent message keeps its address"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    sender_email = models.EmailField(_("sender address"), blank=True)
    sms_number = models.CharField(_("SMS number"), max_length=20, blank=True)
    submit_rate = models.CharField(
        _("new concerns per address"), max_length=16, blank=True, validators=[RATE]
    )
    track_rate = models.CharField(
        _("tracking look-ups per address"), max_length=16, blank=True, validators=[RATE]
    )
    signup_rate = models.CharField(
        _("meeting-notice sign-ups per address"), max_length=16, blank=True, validators=[RATE]
    )
    shares_regional_figures = models.BooleanField(
        _("shares its figures with the regional view"),
        default=False,
        help_text=_("Totals only: never a record, never a name or an address."),
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        # A coordinator edits the settings of the agency they work for, never another's.
        permissions = [("change_own_agency", _("Can change the settings of its own agency"))]
        constraints = [
            models.UniqueConstraint(
                fields=["domain"], condition=~models.Q(domain=""), name="agency_unique_domain"
            ),
        ]

    def __str__(self):
        return self.name


class AgencyOwned(models.Model):
    """A record of one agency. Children name their parent in `agency_from`, so a row written
    by a task or a command for another agency's parent lands in the parent's agency."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        # No default: save() and bulk_create fill it in (the parent's agency, else the current).
        editable=False,
        related_name="+",
        verbose_name=_("agency"),
    )

    # The parent whose agency a child row takes (e.g. "concern"); None: the current agency.
    agency_from: str | None = None

    objects = AgencyManager()
    all_agencies = models.Manager()  # noqa: DJ012 - a manager, after the default one on purpose

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.agency_id is None:
            self.agency_id = self.agency_default()
        super().save(*args, **kwargs)

    def agency_default(self, fallback: int | None = None) -> int:
        if self.agency_from and getattr(self, f"{self.agency_from}_id", None) is not None:
            return getattr(self, self.agency_from).agency_id  # the parent's own agency
        return fallback or context.current_or_default_id()


class Membership(models.Model):
    """The agency a member of staff works for (a user belongs to one agency). A regional
    analyst reads the regional view's totals and nothing of any agency's records."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agency_membership",
        verbose_name=_("user"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="members", verbose_name=_("agency")
    )
    regional_analyst = models.BooleanField(_("regional analyst"), default=False)

    class Meta:
        verbose_name = _("agency membership")
        verbose_name_plural = _("agency memberships")

    def __str__(self):
        return f"{self.user} @ {self.agency}"
