"""Staff sign-in beyond the password: the second-factor pages and the throttled password reset.

Every staff page needs a verified second factor (bridge.middleware.StaffMFARequiredMiddleware);
these views are the ones a signed-in but unverified member of staff may reach."""

import base64
import math
import time
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_ratelimit.core import get_usage

from agencies.selectors import members_only
from audit import events

from . import mfa
from .forms import CodeForm, OutboxPasswordResetForm
from .notices import sign_in_changed


def mfa_exempt(view):
    """Reachable before the second factor is verified (the MFA pages themselves)."""
    view.mfa_exempt = True
    return view


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


# Changing the second step (a new phone, new recovery codes) needs a code typed within the last
# few minutes, not only a session that passed it once (OWASP ASVS 5.0 V6.3: re-authenticate
# before changing an authentication factor; a session left open on a shared PC is not enough).
RECENT_KEY = "_bridge_mfa_at"
RECENT_SECONDS = 5 * 60


def _mark_verified(request, device) -> None:
    otp_login(request, device)
    request.session[RECENT_KEY] = int(time.time())


def _recently_verified(request) -> bool:
    return request.user.is_verified() and time.time() - request.session.get(RECENT_KEY, 0) <= RECENT_SECONDS


def _to(name: str, **query) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


@mfa_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    user = request.user
    again = bool(request.POST.get("again") or request.GET.get("again"))  # asked to confirm a change
    if user.is_verified() and not again:
        return redirect(_next(request))
    if not mfa.mfa_is_enrolled(user):
        return redirect(_to("mfa-setup", next=_next(request)))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        device = mfa.mfa_verify(user=user, token=form.cleaned_data["token"], request=request)
        if device is not None:
            _mark_verified(request, device)
            if mfa.is_recovery_code(device):
                left = mfa.mfa_recovery_codes_left(user)
                messages.warning(
                    request,
                    _("You used a recovery code. %(left)s are left: make new ones on your security page.")
                    % {"left": left},
                )
            return redirect(_next(request))
        wait = mfa.mfa_throttled_seconds(user)
        if wait:
            form.add_error(
                "token",
                _("Too many wrong codes. Wait %(seconds)s seconds, then try the newest code.")
                % {"seconds": wait},
            )
            status = 429
        else:
            form.add_error(
                "token", _("That code did not work. Type the code your app shows now, or a recovery code.")
            )
            status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "registration/mfa_verify.html",
        {"form": form, "next": _next(request), "again": again},
        status=status,
    )


@mfa_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    """Enrol an authenticator app. Someone who already has one must verify it first: a stolen
    password alone never replaces the second factor."""
    user = request.user
    if mfa.mfa_is_enrolled(user) and not _recently_verified(request):
        return redirect(_to("mfa-verify", next=request.get_full_path(), again=1))
    device = mfa.mfa_pending_device(user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        codes = mfa.mfa_confirm(user=user, token=form.cleaned_data["token"], request=request)
        if codes is not None:
            device.refresh_from_db()
            _mark_verified(request, device)
            return render(
                request, "registration/mfa_recovery_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error(
            "token", _("That code did not work. Check the time on your phone and type the newest code.")
        )
        status = 400
    elif request.method == "POST":
        status = 400
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "registration/mfa_setup.html",
        {
            "form": form,
            "key_groups": [key[i : i + 4] for i in range(0, len(key), 4)],
            "qr_data_uri": qr.svg_data_uri(scale=5, border=2),
            "next": _next(request),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET"])
def security(request):
    return render(
        request,
        "registration/security.html",
        {"recovery_codes_left": mfa.mfa_recovery_codes_left(request.user)},
    )


@never_cache
@require_POST
def recovery_codes_renew(request):
    if not _recently_verified(request):
        return redirect(_to("mfa-verify", next=reverse("security"), again=1))
    codes = mfa.mfa_recovery_codes_renew(user=request.user, request=request)
    return render(
        request, "registration/mfa_recovery_codes.html", {"codes": codes, "next": reverse("security")}
    )


def _reset_email_key(group, request) -> str:
    # As Django finds the account: "Amina@…" and " amina@…" are the same person's limit.
    return request.POST.get("email", "").strip().lower()


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, throttled per address and per e-mail address (django-ratelimit),
    its mail sent through the outbox. The answer is the same whether the address is known."""

    form_class = OutboxPasswordResetForm

    def post(self, request, *args, **kwargs):
        rate = settings.BRIDGE_PASSWORD_RESET_RATE
        waits = []
        for key in ("ip", _reset_email_key):
            usage = get_usage(
                request, group="bridge.password-reset", key=key, rate=rate, method="POST", increment=True
            )
            if usage and usage["should_limit"]:
                waits.append(usage["time_left"])
        if waits:
            seconds = max(1, max(waits))
            response = render(
                request,
                "registration/password_reset_limited.html",
                {"minutes": math.ceil(seconds / 60)},
                status=429,
            )
            response["Retry-After"] = str(seconds)
            return response
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        sign_in_changed(event=events.PASSWORD_CHANGED, user=self.request.user, request=self.request)
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def get_user(self, uidb64):
        # Another agency's account is not known here: its link is as invalid as a made-up one.
        user = super().get_user(uidb64)
        if user is not None and not members_only(type(user).objects.filter(pk=user.pk)).exists():
            return None
        return user

    def form_valid(self, form):
        response = super().form_valid(form)
        sign_in_changed(event=events.PASSWORD_RESET_DONE, user=form.user, request=self.request)
        return response
