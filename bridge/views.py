from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from . import health


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
