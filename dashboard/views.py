from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils.translation import gettext as _


@permission_required("dashboard.view_dashboard", raise_exception=True)
def home(request):
    return render(request, "bridge/placeholder.html", {"title": _("Commander dashboard")})
