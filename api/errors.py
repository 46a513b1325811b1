"""Every API error as JSON with a stable code and a message in the caller's language.

The REST API answers {"error": {"code", "message", "locale", "fields"}}; Open311 answers the
specification's list of {"code": <HTTP status>, "description"} with Bridge's stable code as
"error" and "locale" beside them. Codes are stored by clients: never rename one."""

import math

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.response import Response

from .languages import bcp47, requested

OPEN311_PREFIX = "/open311/"
API_PREFIXES = ("/api/", OPEN311_PREFIX)


def messages() -> dict[str, str]:
    return {
        "bad_request": _("The request could not be read. Check its format and try again."),
        "validation_failed": _("Some values were not accepted. See each field's message."),
        "not_authenticated": _("Send a personal access token: Authorization: Bearer <token>."),
        "token_invalid": _("This token is not known. Check that it was copied whole."),
        "token_expired": _("This token has expired. Make a new one on your API tokens page."),
        "token_revoked": _("This token was revoked. Make a new one on your API tokens page."),
        "scope_missing": _("This token may not do this. Make a token with the scope it needs."),
        "permission_denied": _("Your account may not do this."),
        "not_found": _("Nothing was found at this address."),
        "method_not_allowed": _("This address does not accept this method."),
        "not_acceptable": _("This address answers only in JSON."),
        "unsupported_media_type": _("Send JSON or a form (application/x-www-form-urlencoded)."),
        "server_error": _("Something went wrong on our side. Nothing was saved; try again later."),
        "spam_refused": _("This request could not be accepted. Leave the field “website” empty."),
        "service_not_found": _("There is no service with this code. See services.json for the list."),
        "request_ids_required": _(
            "Give the tracking codes to look up as service_request_id (up to 10, separated by commas)."
        ),
    }


def message(code: str, **params) -> str:
    if code == "rate_limited":
        minutes = params.get("minutes", 1)
        return ngettext(
            "Too many requests. Try again in %(minutes)s minute.",
            "Too many requests. Try again in %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}
    text = messages().get(code) or messages()["bad_request"]
    return text % params if params else text


def is_open311(request) -> bool:
    return request.path.startswith(OPEN311_PREFIX)


def body(request, code: str, http_status: int, *, fields: dict | None = None, text: str | None = None):
    """The error's JSON for this request's kind of API, in the language already active."""
    text = text or message(code)
    locale = bcp47(translation.get_language())
    if is_open311(request):
        out = [{"code": http_status, "description": text, "error": code, "locale": locale}]
        for field, errors in (fields or {}).items():
            for error in errors:
                out.append(
                    {"code": http_status, "description": f"{field}: {error}", "error": code, "locale": locale}
                )
        return out
    return {"error": {"code": code, "message": text, "locale": locale, "fields": fields or {}}}


class Refused(exceptions.APIException):
    """Raised by the API's own code: a stable code, an HTTP status, and per-field messages."""

    def __init__(
        self, code: str, http_status: int = 400, fields: dict | None = None, text: str | None = None
    ):
        super().__init__(text or code)
        self.status_code = http_status
        self.code = code
        self.fields = fields or {}
        self.text = text


_BY_CLASS = [
    (exceptions.NotAuthenticated, "not_authenticated"),
    (exceptions.AuthenticationFailed, "token_invalid"),
    (exceptions.NotFound, "not_found"),
    (exceptions.MethodNotAllowed, "method_not_allowed"),
    (exceptions.NotAcceptable, "not_acceptable"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type"),
    (exceptions.ParseError, "bad_request"),
    (exceptions.PermissionDenied, "permission_denied"),
    (exceptions.ValidationError, "validation_failed"),
]


def exception_handler(exc, context):
    """DRF's exception handler: our codes and catalogue instead of DRF's own messages (DRF has
    no catalogue for several of the declared languages)."""
    request = context["request"]
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    headers = {}
    if isinstance(exc, Refused):
        code, fields, text = exc.code, exc.fields, exc.text
    elif isinstance(exc, exceptions.Throttled):
        wait = math.ceil(exc.wait or 60)
        headers["Retry-After"] = str(wait)
        code, fields, text = "rate_limited", {}, message("rate_limited", minutes=max(1, math.ceil(wait / 60)))
    elif isinstance(exc, exceptions.APIException):
        code = next((c for cls, c in _BY_CLASS if isinstance(exc, cls)), "bad_request")
        if isinstance(exc, exceptions.AuthenticationFailed) and exc.get_codes() in messages():
            code = exc.get_codes()
        fields, text = {}, None
    else:
        return None  # a bug: Django's 500 handler answers (bridge.errors, JSON for the API)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return Response(
        body(request, code, exc.status_code, fields=fields, text=text),
        status=exc.status_code,
        headers=headers,
    )


def django_error(request, http_status: int) -> JsonResponse:
    """For bridge.errors: a 400, 404 or 500 outside a DRF view (an unknown API address, input
    the BadInputMiddleware refused, a crash), as JSON in the caller's language."""
    code = {400: "bad_request", 403: "permission_denied", 404: "not_found"}.get(http_status, "server_error")
    try:
        language = requested(request)
    except Exception:  # noqa: BLE001 - a 500 page must not fail while choosing its language
        language = "en"
    with translation.override(language):
        data = body(request, code, http_status)
    return JsonResponse(data, status=http_status, safe=False, json_dumps_params={"ensure_ascii": False})
