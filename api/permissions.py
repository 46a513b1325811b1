from rest_framework import permissions

from . import errors, services


def scope(name: str):
    """A permission class: a token with scope `name`, whose owner still may use it."""

    class HasScope(permissions.BasePermission):
        required_scope = name

        def has_permission(self, request, view):
            token = request.auth
            if token is None:
                return False  # DRF answers 401 (not_authenticated)
            if not services.token_allows(token, name):
                raise errors.Refused("scope_missing", 403)
            return True

    HasScope.__name__ = f"HasScope[{name}]"
    return HasScope
