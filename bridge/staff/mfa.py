"""The second factor for every staff account (django-otp): a TOTP authenticator app, with
single-use recovery codes for a lost phone. Every change leaves an audit entry."""

from axes.utils import reset as axes_reset
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit import events
from audit.services import audit_record

from .notices import security_notice_send, sign_in_changed

RECOVERY_CODES = 10
RECOVERY_DEVICE = "Recovery codes"
APP_DEVICE = "Authenticator app"


def mfa_is_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def mfa_pending_device(user) -> TOTPDevice:
    """The authenticator being set up: the same secret on every reload until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


@transaction.atomic
def mfa_confirm(*, user, token: str, request=None) -> list[str] | None:
    """Confirm the pending authenticator with a code from it. Returns fresh recovery codes,
    or None when the code is wrong."""
    device = mfa_pending_device(user)
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    sign_in_changed(event=events.MFA_ENROLLED, user=user, request=request)
    _forgive_own_failures(user)
    return _new_recovery_codes(user=user, request=request)


@transaction.atomic
def mfa_recovery_codes_renew(*, user, request=None) -> list[str]:
    codes = _new_recovery_codes(user=user, request=request)
    security_notice_send(user=user, event=events.MFA_RECOVERY_CODES)
    return codes


def _new_recovery_codes(*, user, request) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    audit_record(event=events.MFA_RECOVERY_CODES, actor=user, target=user, request=request)
    return codes


def mfa_recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def mfa_verify(*, user, token: str, request=None):
    """The device that accepts this code (an app code or an unused recovery code), or None.
    django-otp slows down repeated wrong codes for each device (OTP_*_THROTTLE_FACTOR).
    Both outcomes go to the audit trail: a wrong code after the right password is a warning."""
    token = "".join((token or "").split())
    device = match_token(user, token) if token and len(token) <= 16 else None
    if device is None:
        audit_record(event=events.MFA_FAILED, actor=user, target=user, request=request)
    else:
        method = "recovery_code" if is_recovery_code(device) else "authenticator"
        audit_record(
            event=events.MFA_VERIFIED, actor=user, target=user, request=request, data={"method": method}
        )
        _forgive_own_failures(user)
    return device


def _forgive_own_failures(user) -> None:
    """Password and second factor both passed: the person's own mistyped attempts no longer
    count, from any address. Guesses at other accounts from the same address still do."""
    axes_reset(username=user.get_username())


def is_recovery_code(device) -> bool:
    return isinstance(device, StaticDevice)


def mfa_throttled_seconds(user) -> int:
    """Seconds before the app device accepts another try after wrong codes, or 0."""
    wait = 0
    for device in devices_for_user(user):
        allowed, info = device.verify_is_allowed()
        if not allowed and info and info.get("locked_until"):
            wait = max(wait, int((info["locked_until"] - timezone.now()).total_seconds()) + 1)
    return wait


@transaction.atomic
def mfa_reset(*, actor, user, request=None) -> None:
    """Remove a member of staff's second factor (a lost phone and no recovery codes): they
    enrol again at their next sign-in. Superusers only (see the admin)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    sign_in_changed(event=events.MFA_REMOVED, user=user, actor=actor, request=request)
