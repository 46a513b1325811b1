"""Rate limits: per token on the staff API, per address on the public one (DRF throttling,
counted in the shared cache, Redis in production, so every worker counts the same calls)."""

import hashlib

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from audit.services import client_ip


class TokenThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class PublicThrottle(SimpleRateThrottle):
    scope = "public"

    def get_cache_key(self, request, view):
        # A hash of the address, never the address, in the cache (as feedback.ratelimits).
        ident = hashlib.sha256(f"{settings.SECRET_KEY}:{client_ip(request)}".encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": ident}


class CallerThrottle(PublicThrottle):
    """On the staff API, a call without a token counts against its address, as the public
    API's do: a script guessing tokens is limited too."""

    def get_cache_key(self, request, view):
        return None if request.auth is not None else super().get_cache_key(request, view)
