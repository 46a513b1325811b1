"""What every API view shares: the caller's language, JSON errors, throttling, and for a
token's call the audit trail (an entry per call, and the token's owner as the actor of every
record it changes, as on the web)."""

import contextlib

from auditlog.context import set_actor
from django.contrib.auth.decorators import login_not_required
from django.utils import translation
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import APIView

from audit import events
from audit.services import audit_record, client_ip

from .languages import bcp47, requested
from .throttles import PublicThrottle, TokenThrottle


class Pages(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class ApiView(APIView):
    throttle_classes = [TokenThrottle]

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
        response.setdefault(
            "Cache-Control", "no-store" if getattr(request, "auth", None) else "public, max-age=60"
        )
        return response

    def initial(self, request, *args, **kwargs):
        self._actor = contextlib.ExitStack()
        super().initial(request, *args, **kwargs)
        if request.auth is not None:
            self._actor.enter_context(set_actor(actor=request.user, remote_addr=client_ip(request)))

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

    def paginate(self, queryset, request):
        pages = Pages()
        page = pages.paginate_queryset(queryset, request, view=self)
        return pages, page


class PublicView(ApiView):
    """No token needed (and none read): rate-limited per address."""

    authentication_classes = []
    throttle_classes = [PublicThrottle]
