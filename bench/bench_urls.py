"""Bridge's URLs plus /bench/bare/: a view that answers "ok" through the same middleware,
the yardstick bench/bench_public_post.py measures the concern form against."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from bridge.urls import urlpatterns as bridge_urlpatterns


@login_not_required
def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *bridge_urlpatterns]
