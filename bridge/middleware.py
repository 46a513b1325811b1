import re
import time
from urllib.parse import unquote_to_bytes, urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import LogoutView
from django.contrib.sessions.backends.base import SessionBase
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from . import errors, offline


class SessionIdleMiddleware:
    """Idle timeout: a session lives SESSION_COOKIE_AGE seconds after its last save, so a
    session that is used is saved again - at most once a minute (a thirtieth of the idle time
    when that is shorter), not on every request as SESSION_SAVE_EVERY_REQUEST would, which
    costs three queries a page."""

    KEY = "_bridge_touched"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        now = int(time.time())
        if session is not None and session.session_key:
            interval = min(60, settings.SESSION_COOKIE_AGE / 30)
            if now - session.get(self.KEY, 0) >= interval:
                session[self.KEY] = now
        response = self.get_response(request)
        if session is not None and session.modified and self.KEY not in session:
            session[self.KEY] = now  # saved anyway (a sign-in): costs nothing now, saves a write later
        return response


class StaffNoStoreMiddleware:
    """Staff pages (any view that needs a login, or any page shown to a signed-in user) must
    never be kept by a shared computer's browser cache or an intranet proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        needs_login = getattr(request, "_bridge_view_needs_login", False)
        if needs_login or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, no_cache=True, private=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request._bridge_view_needs_login = getattr(view_func, "login_required", True)


class BadInputMiddleware:
    """NUL bytes, control characters and malformed encodings get a 400 page in the visitor's
    language before any view, form or database sees them.

    PostgreSQL refuses NUL in a string (the driver raises ValueError), so one `%00` in a
    slug, token or field used to be a 500. Checked here: the path (no control characters,
    valid UTF-8), the query string and a url-encoded body (valid percent-encoding and UTF-8,
    no NUL), POST keys and values and cookies (no NUL). Other control characters in form
    values pass: a pasted text may hold a tab or a stray form feed, and the forms handle it.
    Views still parse their own slugs, codes and tokens strictly; this is the floor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad_cookies = _has_nul(request.COOKIES.items())
        if bad_cookies or _bad_path(request) or _bad_query(request) or _bad_body(request):
            if bad_cookies:
                # The session key itself may hold the NUL: serve this answer anonymously and
                # never read the session (an empty one makes SessionMiddleware drop the cookie).
                request.session = SessionBase()
                request.user = AnonymousUser()
            return errors.bad_request(request)
        return self.get_response(request)


_PATH_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_BROKEN_UNICODE = re.compile(r"%[89A-F][0-9A-F]")


def _wsgi_bytes(value: str) -> bytes | None:
    """WSGI hands over raw bytes decoded as latin-1; anything else is already text."""
    try:
        return value.encode("iso-8859-1")
    except UnicodeEncodeError:
        return None


def _utf8_ok(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _has_nul(pairs) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in pairs)


def _bad_path(request) -> bool:
    # Django has already decoded the path, re-escaping bytes that are not UTF-8 as %XX
    # (repercent_broken_unicode); no Bridge address holds a literal escaped high byte.
    path = request.path_info
    return bool(_PATH_CONTROL.search(path) or _BROKEN_UNICODE.search(path))


def _bad_encoded(raw: bytes) -> bool:
    """A query string or url-encoded body: percent signs start escapes, bytes are UTF-8."""
    if _BAD_PERCENT.search(raw):
        return True
    decoded = unquote_to_bytes(raw.replace(b"+", b" "))
    return b"\x00" in decoded or not _utf8_ok(decoded)


def _bad_query(request) -> bool:
    raw = _wsgi_bytes(request.META.get("QUERY_STRING", ""))
    if raw is not None:
        return _bad_encoded(raw)
    return _has_nul(request.GET.items())


def _bad_body(request) -> bool:
    if request.method != "POST":
        return False
    if request.content_type == "application/x-www-form-urlencoded" and _bad_encoded(request.body):
        return True
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in request.POST.lists())


class StaffMFARequiredMiddleware:
    """A signed-in member of staff who has not passed the second factor in this session
    reaches only public pages, sign-out and the second-factor pages; every staff page and
    the admin send them to the code page (or to enrolment, the first time)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        if getattr(view_func, "mfa_exempt", False) or getattr(view_func, "view_class", None) is LogoutView:
            return None
        is_admin = request.path.startswith(reverse("admin:index"))
        if getattr(view_func, "login_required", True) is False and not is_admin:
            return None  # public pages stay open, as for anyone
        return redirect(f"{reverse('mfa-verify')}?{urlencode({'next': request.get_full_path()})}")


class OfflineQueueMiddleware:
    """The field app sends what a device queued with the X-Bridge-Queue header. Such a
    request whose session has expired, whose second factor is missing, or that was queued
    under another account (X-Bridge-Store) gets a JSON answer the app can act on (sign in,
    enter the code, wait for that account) instead of a redirect to a sign-in page it would
    read as success. Staff responses carry the store name the service worker files the
    account's saved pages under."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if offline.verified(user):
            response[offline.STORE_HEADER] = offline.store_id(user)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if offline.QUEUE_HEADER not in request.headers:
            return None
        user = request.user
        next_url = request.headers.get("X-Bridge-Page") or reverse("staff-home")
        if not next_url.startswith("/") or next_url.startswith("//"):
            next_url = reverse("staff-home")
        if not user.is_authenticated:
            return _queue_answer(
                "signin",
                _("Your session has ended. Sign in again to send what is waiting."),
                f"{reverse('login')}?{urlencode({'next': next_url})}",
                401,
            )
        if not offline.verified(user):
            return _queue_answer(
                "mfa",
                _("Enter your sign-in code to send what is waiting."),
                f"{reverse('mfa-verify')}?{urlencode({'next': next_url})}",
                401,
            )
        sent_for = request.headers.get(offline.STORE_HEADER, "")
        if sent_for != offline.store_id(user):
            return _queue_answer(
                "other-account",
                _("This was saved on this device by another account. Sign in as that account to send it."),
                None,
                409,
            )
        return None


def _queue_answer(status: str, message: str, url: str | None, code: int) -> JsonResponse:
    return JsonResponse({"status": status, "message": message, "url": url}, status=code)
