from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.i18n import set_language as django_set_language

from . import health
from .staff import translators


@login_not_required
def home(request):
    return render(request, "bridge/home.html")


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
