"""Personal access tokens for the API (api/), on the staff account pages: making one needs a
second-factor code entered in the last few minutes, as changing a sign-in factor does."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from api import selectors, services
from api.forms import TokenForm

from .views import _recently_verified, _to


def _page(request, form, status=200):
    manage_all = services.can_manage_all(request.user)
    return render(
        request,
        "registration/api_tokens.html",
        {
            "form": form,
            "can_create": bool(form.fields["scopes"].choices),
            "recent": _recently_verified(request),
            "verify_url": _to("mfa-verify", next=request.path, again=1),
            "tokens": selectors.tokens_of(request.user)[:50],
            "everyone": selectors.tokens_of_everyone()[:200] if manage_all else None,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    if request.method == "GET":
        return _page(request, TokenForm(user=request.user))
    form = TokenForm(request.POST, user=request.user)
    if not _recently_verified(request):
        # What was typed stays on the form; the code is asked for again first.
        form.is_valid()
        form.add_error(None, _("Enter a code from your authenticator app again before making a token."))
        return _page(request, form, status=403)
    if form.is_valid():
        data = form.cleaned_data
        try:
            token, secret = services.token_create(
                actor=request.user,
                name=data["name"],
                scopes=data["scopes"],
                days=data["days"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(request, "registration/api_token_created.html", {"token": token, "secret": secret})
    return _page(request, form, status=400)


@never_cache
@require_POST
def api_token_revoke(request, pk):
    token = selectors.token_for(request.user, pk, manage_all=services.can_manage_all(request.user))
    if token is None:
        raise Http404
    services.token_revoke(actor=request.user, token=token, request=request)
    messages.success(
        request, _("The token “%(name)s” was revoked. It no longer works.") % {"name": token.name}
    )
    return redirect("api-tokens")
