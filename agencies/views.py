"""The agency's settings page (its coordinator) and its logo (everyone: it is in every page's
header)."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from agencies import services
from agencies.forms import AgencySettingsForm
from languages.forms import add_service_errors


@permission_required(services.CHANGE_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def settings_edit(request):
    agency = request.agency
    form = AgencySettingsForm(request.POST or None, request.FILES or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_settings_save(
                actor=request.user,
                agency=agency,
                values=form.changes(),
                logo=form.cleaned_data.get("logo") or None,
                remove_logo=form.cleaned_data.get("remove_logo", False),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The agency's settings are saved."))
            return redirect("agencies:settings")
    return render(request, "agencies/settings.html", {"form": form, "agency": agency})


@login_not_required
@require_safe
def logo(request):
    """The logo of the agency this host serves. Not under MEDIA_URL: nothing serves that folder
    (exports live below it), so the one public picture is handed out here."""
    agency = request.agency
    if agency is None or not agency.logo:
        raise Http404(_("This agency has no logo."))
    try:
        handle = agency.logo.open("rb")
    except FileNotFoundError:
        raise Http404(_("This agency has no logo.")) from None
    kind = mimetypes.guess_type(agency.logo.name)[0]
    response = FileResponse(handle, content_type=kind if kind in ("image/png", "image/jpeg") else "image/png")
    # The address carries the file's name (?v=), so a new logo is a new address.
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
