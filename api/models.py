"""Personal access tokens for the staff API. Only a digest of each token is stored: the token
itself is shown once, when it is made."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import AgencyOwned


class AccessToken(AgencyOwned):
    class Scope(models.TextChoices):
        CONTACTS_READ = "contacts:read", _("Read your own contacts")
        CONTACTS_WRITE = "contacts:write", _("Log contacts")
        EVENTS_READ = "events:read", _("Read events and their attendance")
        EVENTS_WRITE = "events:write", _("Record attendance")
        FIGURES_READ = "figures:read", _("Read the dashboard's figures")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=80)
    # The token's first characters, shown in lists so its owner can tell tokens apart.
    prefix = models.CharField(_("starts with"), max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        permissions = [("manage_tokens", "Can see and revoke every member of staff's API tokens")]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def scope_labels(self) -> list[str]:
        labels = dict(self.Scope.choices)
        return [str(labels.get(s, s)) for s in self.scopes]
