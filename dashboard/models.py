"""The dashboard's own tables: permissions, and running totals of contacts per month.

The totals are kept by PostgreSQL triggers on the liaison tables, inside the same transaction
as the contact write (see dashboard/rollup.py for the design), so they are never stale: a
contact is counted the moment it is saved. The triggers only append changes (`LiaisonDelta`,
`CommunityDelta`); a periodic task folds them into the totals (`LiaisonMonth`,
`CommunityMonth`), and readers add both. On other databases (the SQLite first-run default)
the dashboard counts the contacts themselves and these tables stay empty.
"""

from django.db import models


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
        return f"{self.month} c{self.community_id} {self.liaison_id} {self.dim}={self.value}: {self.contacts:+d}"
