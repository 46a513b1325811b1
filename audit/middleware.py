from auditlog.middleware import AuditlogMiddleware

from .services import client_ip, current_request


class AuditMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, reading the address like the rate limits do: its own
    reads X-Forwarded-For, which any visitor can type, even with no proxy in front."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request):
        return None

    def __call__(self, request):
        token = current_request.set(request)
        try:
            return super().__call__(request)
        finally:
            current_request.reset(token)
