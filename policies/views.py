from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from languages.forms import add_service_errors

from . import selectors, services
from .forms import PolicyCreateForm, PolicyVersionForm

# A version number past what the column holds is a page that does not exist, not a 500.
MAX_VERSION = 2**31 - 1
MAX_ID = 2**63 - 1

# --- Public pages (their addresses are printed: do not change them) -----------------------


@login_not_required
def policy_list(request):
    return render(request, "policies/list.html", {"versions": selectors.published_policies()})


@login_not_required
def policy_detail(request, slug):
    version = selectors.current_version(slug)
    if version is None:
        raise Http404(_("There is no such page."))
    earlier = [v for v in selectors.version_list(version.policy) if v.number != version.number]
    return render(
        request,
        "policies/detail.html",
        {"version": version, "policy": version.policy, "earlier": earlier, "current": version},
    )


@login_not_required
def policy_version(request, slug, number):
    if number > MAX_VERSION:
        raise Http404(_("There is no such version."))
    version = selectors.version_by_number(slug, number)
    if version is None:
        raise Http404(_("There is no such version."))
    versions = selectors.version_list(version.policy)
    current = versions[0]
    return render(
        request,
        "policies/detail.html",
        {
            "version": version,
            "policy": version.policy,
            "current": current,
            "is_earlier": version.number != current.number,
            "earlier": [v for v in versions if v.number != current.number],
        },
    )


# --- Staff: coordinators publish ----------------------------------------------------------


@permission_required(services.PUBLISH_PERMISSION, raise_exception=True)
def staff_list(request):
    return render(request, "policies/staff_list.html", {"versions": selectors.published_policies()})


@permission_required(services.PUBLISH_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_new(request):
    form = PolicyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            policy = services.policy_create(
                actor=request.user,
                kind=data["kind"],
                slug=data["slug"],
                position=data.get("position") or 0,
                effective_on=data["effective_on"],
                change_note=data.get("change_note") or "",
                **form.texts(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The page is published as version 1."))
            return redirect("policies:detail", slug=policy.slug)
    return render(request, "policies/staff_form.html", {"form": form, "creating": True})


@permission_required(services.PUBLISH_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_publish(request, pk):
    policy = selectors.policy_by_id(pk) if pk <= MAX_ID else None
    if policy is None:
        raise Http404(_("There is no such page."))
    current = selectors.current_version(policy.slug)
    form = PolicyVersionForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.policy_version_publish(
                actor=request.user,
                policy=policy,
                effective_on=data["effective_on"],
                change_note=data["change_note"],
                **form.texts(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Version %(number)s is published; the earlier versions stay readable.")
                % {"number": version.number},
            )
            return redirect("policies:detail", slug=policy.slug)
    return render(
        request,
        "policies/staff_form.html",
        {"form": form, "creating": False, "policy": policy, "current": current},
    )
