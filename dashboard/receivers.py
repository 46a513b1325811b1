"""A sign-in remembers in the session whether the account is a regional analyst, so the staff
menu on every page can offer the regional view without a query (the views still check the
membership itself each time)."""

from django.contrib.auth.signals import user_logged_in

from agencies.selectors import is_regional_analyst

SESSION_KEY = "bridge_regional"


def _remember_regional(sender, request=None, user=None, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = is_regional_analyst(user)


user_logged_in.connect(_remember_regional, dispatch_uid="dashboard.regional_login")
