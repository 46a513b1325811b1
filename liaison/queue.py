"""Answers to the field app (static/js/offline_store.js) when it sends what a liaison saved
on the device: JSON the app can act on, with every reason in the liaison's language (the
language of the address it sends to). The same answers serve attendance (outreach.views)."""

import functools
import uuid

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .services import ClientIdTaken


def ready(request) -> JsonResponse:
    """A GET before sending: a fresh CSRF token for this session (the page the app runs in
    may be a copy saved before the liaison signed in again)."""
    return JsonResponse({"status": "ready", "csrf": get_token(request)})


SENT_KEY = "offline_sent"


def mark_sent(request, client_id) -> None:
    """The page after a form the device had kept a copy of (static/js/offline.js) tells the
    device, once, that the server has it (bridge.context_processors.offline_config)."""
    if client_id:
        request.session[SENT_KEY] = str(client_id)


def client_id_of(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        return None


def accepted(*, created: bool, url: str) -> JsonResponse:
    return JsonResponse(
        {"status": "created" if created else "duplicate", "url": url}, status=201 if created else 200
    )


def refused(form=None, *, message: str | None = None, status: int = 400, renew: bool = False) -> JsonResponse:
    """Every error of `form`, by field with the field's label, for the app to show beside the
    queued item and in the form when the liaison corrects it."""
    errors = {}
    if form is not None:
        for name, messages in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            errors[name] = {"label": str(label or ""), "messages": [str(m) for m in messages]}
    return JsonResponse(
        {
            "status": "refused",
            "message": message or _("Not accepted. Correct it and save it again."),
            "errors": errors,
            # The identifier itself was the trouble: the device saves the item under a new one.
            "renew": renew,
        },
        status=status,
    )


def missing_id() -> JsonResponse:
    return refused(
        message=_("This was sent without its identifier. Save it again from the form."), renew=True
    )


def taken() -> JsonResponse:
    return refused(
        message=_("This identifier was already used for another record. Save it again from the form."),
        status=409,
        renew=True,
    )


def endpoint(view):
    """A field-app endpoint. GET hands out a CSRF token (ready); a POST reaches the view as
    view(request, client_id, ...) with the device's identifier, and what every endpoint
    answers alike is answered here: no identifier, an identifier another record has, and a
    PermissionDenied (its message, 403)."""

    @functools.wraps(view)
    @require_http_methods(["GET", "POST"])
    def answer(request, *args, **kwargs):
        if request.method == "GET":
            return ready(request)
        client_id = client_id_of(request)
        if client_id is None:
            return missing_id()
        try:
            return view(request, client_id, *args, **kwargs)
        except ClientIdTaken:
            return taken()
        except PermissionDenied as exc:
            return refused(message=str(exc) or None, status=403)

    return answer
