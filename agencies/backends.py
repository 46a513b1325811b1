from django.contrib.auth.backends import ModelBackend

from agencies import context
from agencies.selectors import agency_of


class AgencyModelBackend(ModelBackend):
    """Django's own backend, refusing an account on another agency's host name: the sign-in
    page answers as for a wrong password (it never confirms the account exists elsewhere). A
    session made on one agency's host is refused on another's by AgencyStaffMiddleware."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        agency_id = context.current_id()
        if user is not None and agency_id is not None and agency_of(user) != agency_id:
            return None
        return user
