"""What every API view shares: the caller's language, JSON errors, throttling, and for a
token's call the audit trail (an entry per call, and the token's owner as the actor of every
record it changes, as on the web)."""

import contextlib

from auditlog.context import set_actor
from django.contrib.auth.decorators import login_not_required
from django.utils import translation
from django.utils.cache import patch_vary_headers
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import APIView

from audit import events
from audit.services import audit_record, client_ip

from .errors import Refused
from .languages import bcp47, match, requested
from .throttles import CallerThrottle, PublicThrottle, TokenThrottle


class Pages(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class ApiView(APIView):
    throttle_classes = [TokenThrottle, CallerThrottle]
    cacheable = False  # what every visitor may see alike, for a minute

    @classmethod
    def as_view(cls, **initkwargs):
        # No session sign-in here: a token (or nothing, for the public parts) authenticates.
        return login_not_required(super().as_view(**initkwargs))

    def dispatch(self, request, *args, **kwargs):
        self.language = requested(request)
        with translation.override(self.language):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()  # lazy texts are rendered in the caller's language
        response["Content-Language"] = bcp47(self.language)
        patch_vary_headers(response, ("Accept-Language",))
        if self.cacheable and request.method in ("GET", "HEAD") and response.status_code == 200:
            response.setdefault("Cache-Control", "public, max-age=60")
        else:
            # A token's answers, a tracking code's status, anything written: never kept.
            response["Cache-Control"] = "no-store"
        return response

    def initial(self, request, *args, **kwargs):
        self._actor = contextlib.ExitStack()
        super().initial(request, *args, **kwargs)
        if request.auth is not None:
            self._actor.enter_context(set_actor(actor=request.user, remote_addr=client_ip(request)))

    def perform_authentication(self, request):
        try:
            super().perform_authentication(request)
        except exceptions.AuthenticationFailed:
            self.check_throttles(request)  # a wrong token counts against its address (429 first)
            raise

    def check_permissions(self, request):
        # DRF checks permissions before throttles: a call with no token would get its 401
        # without ever being counted. Count it first (it is refused below, so never twice).
        if request.auth is None and self.get_permissions():
            self.check_throttles(request)
        super().check_permissions(request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        actor = getattr(self, "_actor", None)
        if actor is not None:
            actor.close()
        token = getattr(request, "auth", None)
        if token is not None:
            match = request._request.resolver_match
            audit_record(
                event=events.API_CALL,
                actor=request.user,
                request=request._request,
                data={
                    "method": request.method,
                    "operation": match.view_name if match else "",
                    "path": request.path[:200],
                    "status": response.status_code,
                    "token": token.prefix,
                },
            )
        return response

    def body(self, request):
        """The parsed body as a mapping, refused whole if any text in it holds a NUL (the
        bad-input middleware reads forms and query strings, not JSON); a `locale` in it
        chooses the answer's language as one in the query does."""
        data = request.data
        if not hasattr(data, "get") or isinstance(data, list | str) or _has_nul(data):
            raise Refused("bad_request", 400)
        if not request.query_params.get("locale"):
            code = match(str(data.get("locale") or ""))
            if code:
                self.language = code
                translation.activate(code)  # inside dispatch's override, which restores it
        return data

    def paginate(self, queryset, request):
        pages = Pages()
        page = pages.paginate_queryset(queryset, request, view=self)
        return pages, page


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict) or hasattr(value, "lists"):
        items = value.lists() if hasattr(value, "lists") else value.items()
        return any(_has_nul(k) or _has_nul(v) for k, v in items)
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class PublicView(ApiView):
    """No token needed (and none read): rate-limited per address."""

    authentication_classes = []
    throttle_classes = [PublicThrottle]
