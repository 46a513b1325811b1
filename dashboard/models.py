"""The dashboard's own tables: permissions, and running totals of contacts per month.

The totals are kept by PostgreSQL triggers on the liaison tables, inside the same transaction
as the contact write (see dashboard/rollup.py for the design), so they are never stale: a
contact is counted the moment it is saved. The triggers only append changes (`LiaisonDelta`,
`CommunityDelta`); a periodic task folds them into the totals (`LiaisonMonth`,
`CommunityMonth`), and readers add both. On other databases (the SQLite first-run default)
the dashboard counts the contacts themselves and these tables stay empty.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import AgencyOwned


class Dashboard(models.Model):
    """No table: carries the dashboard's permissions so roles can be granted them."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_dashboard", "Can view the commander dashboard"),
            ("export_figures", "Can export dashboard figures and contacts"),
        ]

    def __str__(self):
        return "dashboard"


class Dim(models.TextChoices):
    """Which attribute a running-total row breaks contacts down by. Every contact is counted
    once under each dimension, so summing one dimension's rows gives the total."""

    KIND = "k", "kind"
    LANGUAGE = "l", "language"
    INTERPRETER = "i", "interpreter"  # value "1" or "0"


class LiaisonMonth(models.Model):
    """Contacts and people reached per month, liaison and one attribute value. Each contact
    counts once per dimension, whatever its number of communities."""

    month = models.DateField()  # the first day of the month
    liaison_id = models.BigIntegerField()  # no FK: written by a trigger, read by joins
    dim = models.CharField(max_length=1, choices=Dim.choices)
    value = models.CharField(max_length=20)
    contacts = models.IntegerField(default=0)
    people = models.BigIntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [
            # dim first: most reads take one dimension over a range of months. The counts are
            # included so those reads never visit the table (an index-only scan).
            models.UniqueConstraint(
                fields=["dim", "month", "liaison_id", "value"],
                include=["contacts", "people"],
                name="liaisonmonth_key",
            ),
        ]

    def __str__(self):
        return f"{self.month} {self.liaison_id} {self.dim}={self.value}: {self.contacts}"


class CommunityMonth(models.Model):
    """The same per community: a contact with two communities counts once in each."""

    month = models.DateField()
    community_id = models.BigIntegerField()
    liaison_id = models.BigIntegerField()
    dim = models.CharField(max_length=1, choices=Dim.choices)
    value = models.CharField(max_length=20)
    contacts = models.IntegerField(default=0)
    people = models.BigIntegerField(default=0)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["dim", "month", "community_id", "liaison_id", "value"],
                include=["contacts", "people"],
                name="communitymonth_key",
            ),
        ]

    def __str__(self):
        return f"{self.month} c{self.community_id} {self.liaison_id} {self.dim}={self.value}: {self.contacts}"


class LiaisonDelta(models.Model):
    """One statement's change to LiaisonMonth, appended by the trigger and never updated:
    writers never wait for each other on a total. Folded into LiaisonMonth by
    rollup.compact() (Celery beat, every DASHBOARD_COMPACT_SECONDS)."""

    id = models.BigAutoField(primary_key=True)
    month = models.DateField()
    liaison_id = models.BigIntegerField()
    dim = models.CharField(max_length=1, choices=Dim.choices)
    value = models.CharField(max_length=20)
    contacts = models.IntegerField()
    people = models.BigIntegerField()

    class Meta:
        default_permissions = ()
        indexes = [models.Index(fields=["dim", "month"], name="liaisondelta_dim_month")]

    def __str__(self):
        return f"{self.month} {self.liaison_id} {self.dim}={self.value}: {self.contacts:+d}"


class CommunityDelta(models.Model):
    """The same for CommunityMonth."""

    id = models.BigAutoField(primary_key=True)
    month = models.DateField()
    community_id = models.BigIntegerField()
    liaison_id = models.BigIntegerField()
    dim = models.CharField(max_length=1, choices=Dim.choices)
    value = models.CharField(max_length=20)
    contacts = models.IntegerField()
    people = models.BigIntegerField()

    class Meta:
        default_permissions = ()
        indexes = [models.Index(fields=["dim", "month"], name="communitydelta_dim_month")]

    def __str__(self):
        return (
            f"{self.month} c{self.community_id} {self.liaison_id} {self.dim}={self.value}: {self.contacts:+d}"
        )


def export_storage():
    """Where export files go: STORAGES["exports"] (a private local folder by default, any
    Django storage backend in production). Never served as static or media files."""
    from django.core.files.storage import storages

    return storages["exports"]


class ExportJob(AgencyOwned):
    """A contacts export too large for one request, prepared by a Celery job
    (dashboard.services.export_job_run) and downloaded by its owner alone, until it expires.

    The id is the only thing in its addresses; filters are kept as the form's keys (quarter,
    unit, community slug), never anything about a community member."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Could not be prepared")
        EXPIRED = "expired", _("Expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    what = models.CharField(max_length=20)  # "contacts"
    fmt = models.CharField(max_length=8)  # "csv" or "xlsx"
    scope = models.JSONField(default=dict)  # {"scope": "all"} or {"quarter", "unit", "community"}
    language = models.CharField(max_length=15)  # headers and names in the owner's language
    filename = models.CharField(max_length=200)  # the download's name, without extension
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    rows_total = models.IntegerField(default=0)
    rows_done = models.IntegerField(default=0)
    size = models.BigIntegerField(default=0)
    file = models.FileField(storage=export_storage, upload_to="exports/", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # runs started (a lost worker's job is run again)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)  # the download link's end

    class Meta:
        default_permissions = ()
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="exportjob_owner_created"),
            models.Index(fields=["state", "created_at"], name="exportjob_state_created"),
        ]

    def __str__(self):
        return f"{self.what}.{self.fmt} {self.state} ({self.pk})"

    def percent_at(self, rows_done: int) -> int:
        """How far the job is, in percent, with `rows_done` rows written (100 only when done)."""
        if self.state == self.State.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, rows_done * 100 // self.rows_total)

    def downloadable(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.state == self.State.DONE
            and bool(self.file)
            and self.expires_at is not None
            and now < self.expires_at
        )
