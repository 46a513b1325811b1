"""The audit trail: one append-only table of who did what, when and from where.

Explicit events (logins, exports, views of a submitter's contact details...) are written by
``audit.services.audit_record``; model changes are recorded by django-auditlog as LogEntry
rows (the field-by-field diff) and each gets an Entry here pointing to it, so one page and
one filter read the whole trail. Nothing personal about community members is stored: events
carry ids, never an address or a concern's text.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import AgencyOwned


class Entry(AgencyOwned):
    event = models.CharField(_("event"), max_length=64, db_index=True)
    timestamp = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # SET_NULL so that deleting an account keeps its entries; the username copy says who it was.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True, db_index=True)
    remote_addr = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("object type"),
    )
    object_pk = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # The django-auditlog diff behind a record.* entry.
    log_entry = models.OneToOneField(
        "auditlog.LogEntry",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("change"),
    )

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-timestamp", "-id"]
        # Append-only: no add/change/delete permissions exist to grant.
        default_permissions = ()
        permissions = [("view_trail", "Can read the audit trail")]
        indexes = [
            models.Index(fields=["event", "-timestamp"], name="audit_event_time"),
            models.Index(fields=["content_type", "object_pk"], name="audit_object"),
        ]

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.event} {self.actor_username or '-'}"
