from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies import conf as agency_conf

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
            "site_url": agency_conf.site_url(),
            "scopes": AccessToken.Scope.choices,
        },
    )
