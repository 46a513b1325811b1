from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import AgencyOwned


class Message(AgencyOwned):
    """One message to one recipient for one purpose: the outbox row is the source of truth.

    `key` is unique per (purpose, recipient) - e.g. "event:12:published:sub:40" - so a
    retry, a double click or a redelivered task can never create or send a second copy.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # The whole message reached the mail server but its answer never came: it may have
        # been delivered, so it is not sent again unless staff choose to (see smtp.py).
        UNCONFIRMED = "unconfirmed", _("Unconfirmed")

    key = models.CharField(_("key"), max_length=200, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    body = models.TextField(_("body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # The body is a credential (a password-reset or "choose your password" link): it is
    # erased once the row is finished, never shown in the admin, and the row is hidden
    # from everyone but superusers there.
    holds_secret = models.BooleanField(_("holds a secret"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # When a send task for this row was last handed to the broker. Empty while the broker
    # could not be reached (or after a transient failure): the sweep picks those rows up.
    dispatched_at = models.DateTimeField(_("handed to the broker"), null=True, blank=True)
    # A row that failed transiently waits until then before the sweep hands it out again:
    # the backoff lives in the database, never as an ETA task held by the broker.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "updated_at"], name="message_status_updated"),
            # The sweep only ever reads unfinished rows; sent rows are the vast majority.
            models.Index(
                fields=["status", "created_at"],
                condition=Q(status__in=["queued", "sending"]),
                name="message_unfinished",
            ),
        ]

    def __str__(self):
        # Not the address: this name is shown in lists and kept in histories.
        return f"{self.get_channel_display()} {self.pk} ({self.get_status_display()})"


class SmsOptOut(AgencyOwned):
    """A phone number that replied STOP: no SMS goes to it, whatever sends it (meeting
    notices, a concern's follow-up), until it replies START. The number is kept for exactly
    that reason and nothing else; START deletes the row."""

    phone = models.CharField(_("phone (E.164)"), max_length=20)
    created_at = models.DateTimeField(_("replied STOP"), auto_now_add=True)

    class Meta:
        verbose_name = _("SMS opt-out")
        verbose_name_plural = _("SMS opt-outs")
        # STOP to one agency's number stops that agency's messages (each has its own number).
        constraints = [
            models.UniqueConstraint(fields=["agency", "phone"], name="one_opt_out_per_agency_phone")
        ]

    def __str__(self):
        # Not the number: this name can end up in lists and histories.
        return f"SMS opt-out {self.pk}"
