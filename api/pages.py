from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import AccessToken


@login_not_required
@require_GET
def docs(request):
    """How to use the API, in the reader's language, and the reference drawn by Swagger UI
    (from npm, served by the app) from /api/schema/."""
    return render(
        request,
        "api/docs.html",
        {
            "site_url": settings.SITE_URL,
            "scopes": AccessToken.Scope.choices,
        },
    )
