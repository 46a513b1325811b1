from django.utils.cache import patch_cache_control


class StaffNoStoreMiddleware:
    """Staff pages (any view that needs a login, or any page shown to a signed-in user) must
    never be kept by a shared computer's browser cache or an intranet proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        needs_login = getattr(request, "_bridge_view_needs_login", False)
        if needs_login or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, no_cache=True, private=True)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request._bridge_view_needs_login = getattr(view_func, "login_required", True)


class BadInputMiddleware:
    """Placeholder, filled in by the bad-input work (issue 9)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)


class StaffMFARequiredMiddleware:
    """Placeholder, filled in by the MFA work (issue 9)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
