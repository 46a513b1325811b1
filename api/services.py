"""Every write to API tokens. A token is shown once; only its SHA-256 digest is kept (a
random 256-bit secret needs no slow hash: it cannot be guessed from its digest)."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import events
from audit.services import audit_record

from .models import AccessToken

Scope = AccessToken.Scope
TOKEN_START = "bridge_"  # noqa: S105 - the mark every token starts with, not a secret
# What each scope needs of the account, checked when a token is made and again on every
# call: a token never does more than its owner may do today.
SCOPE_PERMISSIONS = {
    Scope.CONTACTS_READ: "liaison.add_contact",
    Scope.CONTACTS_WRITE: "liaison.add_contact",
    Scope.EVENTS_READ: "outreach.view_outreachevent",
    Scope.EVENTS_WRITE: "outreach.change_outreachevent",
    Scope.FIGURES_READ: "dashboard.view_dashboard",
}
LAST_USED_EVERY = dt.timedelta(minutes=1)  # at most one write per token and minute


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def scopes_for(user) -> list[str]:
    """The scopes this account may give a token."""
    return [scope for scope, perm in SCOPE_PERMISSIONS.items() if user.has_perm(perm)]


def can_manage_all(actor) -> bool:
    return actor.has_perm("api.manage_tokens")


@transaction.atomic
def token_create(*, actor, name: str, scopes: list[str], days: int, request=None) -> tuple[AccessToken, str]:
    """Make a token for `actor`; returns (the row, the token to show once). The caller has
    checked the second factor (api.pages asks for a fresh code)."""
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Name the token, for example after the tool that will use it.")]
    allowed = set(scopes_for(actor))
    scopes = list(dict.fromkeys(scopes))
    if not scopes:
        errors["scopes"] = [_("Choose at least one thing the token may do.")]
    elif not set(scopes) <= allowed:
        errors["scopes"] = [_("Your role does not allow one of the chosen scopes.")]
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        errors["days"] = [_("Choose when the token expires.")]
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    row = AccessToken.objects.create(
        user=actor,
        name=name[:80],
        prefix=prefix,
        digest=digest(token),
        scopes=scopes,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_record(
        event=events.API_TOKEN_CREATED,
        actor=actor,
        target=row,
        request=request,
        data={"token": prefix, "scopes": scopes, "days": days},
    )
    return row, token


@transaction.atomic
def token_revoke(*, actor, token: AccessToken, request=None) -> AccessToken:
    """Its owner or a coordinator (api.manage_tokens) revokes a token; it stops at once."""
    if token.user_id != actor.pk and not can_manage_all(actor):
        raise PermissionDenied(_("You can revoke only your own tokens."))
    token = AccessToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            event=events.API_TOKEN_REVOKED,
            actor=actor,
            target=token,
            request=request,
            data={"token": token.prefix, "owner": token.user.get_username()},
        )
    return token


class TokenRefused(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code  # token_invalid, token_expired, token_revoked


def token_authenticate(raw: str) -> AccessToken:
    """The active token `raw` names, with its user; raises TokenRefused saying why not."""
    raw = (raw or "").strip()
    if not raw.startswith(TOKEN_START) or len(raw) > 120:
        raise TokenRefused("token_invalid")
    token = AccessToken.objects.select_related("user").filter(digest=digest(raw)).first()
    if token is None or not token.user.is_active:
        raise TokenRefused("token_invalid")
    if token.revoked_at is not None:
        raise TokenRefused("token_revoked")
    now = timezone.now()
    if token.expires_at <= now:
        raise TokenRefused("token_expired")
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_allows(token: AccessToken, scope: str) -> bool:
    """The token has the scope, and its owner still has what the scope needs."""
    return scope in token.scopes and token.user.has_perm(SCOPE_PERMISSIONS[scope])
