import functools
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.i18n import set_language as django_set_language

from agencies import selectors as agency_selectors
from policies import selectors as policy_selectors

from . import health, offline
from .staff import translators


@login_not_required
def home(request):
    # The promise and what to expect read from the unit's published pages (one query); where
    # a page is not published the template keeps its built-in text.
    return render(request, "bridge/home.html", {"promise": policy_selectors.home_promise()})


@login_not_required
def favicon(request):
    # Resolved per request: with the manifest storage the hashed name exists only after
    # collectstatic, so it must not be looked up at import time.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@login_not_required
def privacy(request):
    return render(request, "bridge/privacy.html")


@login_not_required
def placeholder(request, title):
    return render(request, "bridge/placeholder.html", {"title": title})


def staff_home(request):
    """Where a signed-in member of staff lands; each role's start page."""
    user = request.user
    if user.has_perm("dashboard.view_dashboard"):
        return redirect("dashboard:home")
    if not user.has_perm("liaison.view_contact") and agency_selectors.is_regional_analyst(user):
        return redirect("dashboard:regional")  # a regional analyst with no role in a unit
    if not user.has_perm("liaison.view_contact") and translators.is_translator(user):
        return redirect("rosetta-file-list-redirect")  # a translator and nothing else
    return redirect("liaison:contact-list")


@login_not_required
@never_cache
def healthz(request):
    db_ok, db_msg = health.database_state()
    broker_ok, broker_msg = health.broker_state()
    ok = db_ok and broker_ok
    return JsonResponse(
        {"status": "ok" if ok else "error", "database": db_msg, "broker": broker_msg},
        status=200 if ok else 503,
    )


def staff_placeholder(request, title):
    return render(request, "bridge/placeholder.html", {"title": title})


@login_not_required
def set_language(request):
    """The language switcher: Django's set_language (it remembers the choice in a cookie and
    goes to the same page in the chosen language), after activating the language of the page
    the person was on - Django resolves `next` in the active language, which may be the
    cookie's or the browser's, and would then send them back to the same page."""
    path = urlsplit(request.POST.get("next", request.GET.get("next", ""))).path
    page_language = translation.get_language_from_path(path)
    if page_language:
        translation.activate(page_language)
    return django_set_language(request)


# --- The field app: manifest, service worker, offline page (bridge/offline.py) -----------

_SW_MODULES = ("core", "routing", "strategies", "expiration", "cacheable-response")
_PRECACHE = (
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap/css/bootstrap.rtl.min.css",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "vendor/idb/umd.js",
    "css/bridge.css",
    "css/print.css",
    "js/offline.js",
    "js/offline_store.js",
    "js/contact_form.js",
    "favicon.svg",
    "icons/icon-192.png",
)
# Field-app pages (staff, kept per account) and public pages kept for offline reading, by
# URL name; a "0" argument stands for any number.
_STAFF_PAGES = (
    ("liaison:contact-new", ()),
    ("outreach:staff-events", ()),
    ("outreach:staff-event-attendance", (0,)),
)
# The forms the worker may queue itself, with the kind of item and where it is sent (the
# form's address + "queue/").
_QUEUED_FORMS = (("liaison:contact-new", ()), ("outreach:staff-event-attendance", (0,)))
_QUEUE_KINDS = ("contact", "attendance")
_QUEUE_SUFFIXES = ("../queue/", "queue/")
_PUBLIC_PAGES = (
    ("home", ()),
    ("privacy", ()),
    ("outreach:event-list", ()),
    ("outreach:event-detail", (0,)),
    ("offline", ()),
)
_SLOT = "__lang__"


def _path_pattern(name: str, args: tuple) -> str:
    """`^/(?:en|es|...)/contacts/new/$` for a URL name, in every declared language."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(name, args=args)
    prefix = f"/{settings.LANGUAGE_CODE}/"
    rest = re.escape(path[len(prefix) :])
    if args:
        rest = rest.replace("/0/", "/[0-9]+/")
    languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    return f"^/(?:{languages})/{rest}$"


def _language_slot(name: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(name)
    return f"/{_SLOT}/" + path[len(settings.LANGUAGE_CODE) + 2 :]


@functools.cache
def _worker_source_version() -> str:
    digest = hashlib.sha256()
    for name in ("js/offline_store.js", "js/offline.js"):
        found = finders.find(name)
        if found:
            digest.update(Path(found).read_bytes())
    digest.update("".join(static(name) for name in _PRECACHE).encode())
    return digest.hexdigest()[:12]


@login_not_required
def service_worker(request):
    languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    config = {
        "version": _worker_source_version(),
        "staticUrl": settings.STATIC_URL,
        "storeHeader": offline.STORE_HEADER,
        "scripts": {
            "workbox": static("vendor/workbox/workbox-sw.js"),
            "idb": static("vendor/idb/umd.js"),
            "store": static("js/offline_store.js"),
        },
        "modules": {f"workbox-{m}": static(f"vendor/workbox/workbox-{m}.prod.js") for m in _SW_MODULES},
        "precache": [static(name) for name in _PRECACHE],
        "staffPages": [_path_pattern(n, a) for n, a in _STAFF_PAGES],
        "queuedForms": [_path_pattern(n, a) for n, a in _QUEUED_FORMS],
        "signOutPaths": [_path_pattern("logout", ()), "^" + re.escape(reverse("admin:logout")) + "$"],
        "queueKinds": _QUEUE_KINDS,
        "queueSuffixes": _QUEUE_SUFFIXES,
        "publicPages": [_path_pattern(n, a) for n, a in _PUBLIC_PAGES],
        "languagePrefix": f"^/({languages})/",
        "languageSlot": _SLOT,
        "offlinePage": _language_slot("offline"),
        "homePage": _language_slot("home"),
    }
    response = render(
        request,
        "bridge/sw.js",
        {"config": json.dumps(config)},
        content_type="text/javascript; charset=utf-8",
    )
    # The browser checks for a new worker on every visit; it must never keep an old one.
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
def manifest(request):
    """The field app's web app manifest, in the language of the address: installed, it opens
    on the contact log."""
    language = translation.get_language()
    icons = [
        {
            "src": static(f"icons/{kind}-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }
        for kind, purpose in (("icon", "any"), ("maskable", "maskable"))
        for size in (192, 512)
    ]
    data = {
        "id": "/",
        "name": _("Bridge: community liaison"),
        "short_name": _("Bridge"),
        "description": _("Log community contacts and attendance, even where there is no signal."),
        "lang": language,
        "dir": "rtl" if translation.get_language_bidi() else "ltr",
        "start_url": reverse("liaison:contact-new"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d3b66",
        "icons": icons,
    }
    response = JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    patch_vary_headers(response, ["Accept-Language"])
    return response


@login_not_required
def offline_page(request):
    """What the service worker shows for a page not saved on this device."""
    return render(request, "bridge/offline.html")
