"""Authorization: Bearer <personal access token>. No session: a page's cookie never
authenticates an API call, so the API needs no CSRF token and a stolen tab cannot use it."""

from rest_framework import authentication, exceptions

from . import services


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "bearer"

    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        keyword, _sep, raw = header.partition(" ")
        if keyword.lower() != self.keyword:
            raise exceptions.AuthenticationFailed(code="token_invalid")
        try:
            token = services.token_authenticate(raw)
        except services.TokenRefused as refused:
            raise exceptions.AuthenticationFailed(code=refused.code) from None
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
