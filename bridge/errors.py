"""Error pages in the visitor's language, saying what happened and where to go next.

Django renders 400 and 500 pages without a request (500) or from a request that may itself be
the problem (400), so the context processors that base.html relies on do not run, or must not:
the `auth` processor reads the session from the database, which is exactly what may be down or
what a malformed cookie would break. These handlers give base.html the few values it needs from
settings alone. 403 and 404 keep Django's handlers (templates 403.html, 404.html): the request
is sound there and the signed-in navigation is worth showing.
"""

import logging

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import get_language_info
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

from agencies import conf
from api import errors as api_errors

logger = logging.getLogger(__name__)


def _home_links(agency=None) -> list[dict]:
    """The language switcher of an error page: links to the home page in each language the
    agency offers (no URL resolving of the failed request, which may be malformed; no form,
    as there is no CSRF token without a request)."""
    links = []
    # The agency the middleware already loaded (no query); the deployment's languages without one.
    offered = conf.languages(agency) if agency is not None else [code for code, _name in settings.LANGUAGES]
    for code in offered:
        info = get_language_info(code)
        try:
            with translation.override(code):
                url = reverse("home")
        except NoReverseMatch:  # pragma: no cover - a broken URLconf; show no switcher
            return []
        links.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "direction": "rtl" if info["bidi"] else "ltr",
                "url": url,
            }
        )
    return links


def _unit_name(request) -> str:
    # The agency the middleware already loaded (no query); the deployment's name without one.
    agency = getattr(request, "agency", None)
    return conf.unit_name(agency=agency) if agency is not None else settings.BRIDGE_UNIT_NAME


def safe_context(request=None, **extra) -> dict:
    """What base.html needs, from settings and the request's already loaded agency only: no
    database, no session."""
    return {
        "unit_name": _unit_name(request),
        "emergency_number": settings.EMERGENCY_NUMBER,
        "language_links": _home_links(getattr(request, "agency", None)),
        **extra,
    }


def render_safely(template_name: str, status: int, request=None, **extra) -> HttpResponse:
    body = loader.get_template(template_name).render(safe_context(request, **extra))
    return HttpResponse(body, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    """handler400, also used by BadInputMiddleware."""
    if _is_api(request):
        return api_errors.django_error(request, 400)
    return render_safely("400.html", 400, request)


@requires_csrf_token
def not_found(request, exception=None):
    """handler404: Django's page (templates/404.html), or JSON at an API address."""
    if _is_api(request):
        return api_errors.django_error(request, 404)
    return defaults.page_not_found(request, exception)


@requires_csrf_token
def server_error(request):
    """handler500. No database, no session: the failure may be either of them."""
    if _is_api(request):
        return api_errors.django_error(request, 500)
    return render_safely("500.html", 500, request)


def _is_api(request) -> bool:
    """An integration reads JSON, never a page, at /api/ and /open311/ (not at the docs page)."""
    return request is not None and request.path.startswith(api_errors.API_PREFIXES)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form posted without its token (opened too long ago, in another
    browser, cookies blocked). Said in the visitor's language, with what to do, never Django's
    English developer page; the reason goes to the log, not to the visitor."""
    logger.warning("CSRF check failed: %s", reason)
    response = loader.render_to_string("403_csrf.html", request=request)
    return HttpResponse(response, status=403)
