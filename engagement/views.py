from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from languages.forms import add_service_errors
from liaison import selectors as liaison_selectors
from liaison.forms import ContactForm

from . import selectors, services
from .forms import AssignForm, FilterForm, LinkForm, MoveForm, RequestForm
from .models import EngagementRequest

PAGE_SIZE = 25


def _request(user, pk) -> EngagementRequest:
    """The request if this person may see it; a 404 otherwise, so a liaison never learns that
    requests they are not assigned to exist."""
    try:
        return selectors.request_for(user, pk)
    except EngagementRequest.DoesNotExist as exc:
        raise Http404 from exc


@require_GET
def request_list(request):
    form = FilterForm(request.GET or None)
    status = (form.cleaned_data.get("status") if form.is_valid() else None) or "open"
    if request.GET and not form.is_valid():
        messages.warning(request, _("Some filters were not understood and were ignored."))
    if not (services.can_view_all(request.user) or selectors.liaison_of(request.user)):
        raise PermissionDenied(_("Engagement requests are for the liaison unit and its commanders."))
    rows = selectors.requests_visible_to(request.user, status=None if status == "all" else status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "engagement/list.html",
        {
            "form": form,
            "status": status,
            "page": page,
            "query": query.urlencode(),
            "can_raise": services.can_raise(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def request_new(request):
    if not services.can_raise(request.user):
        raise PermissionDenied(_("You cannot raise engagement requests."))
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_raise(actor=request.user, **form.request_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your request was sent to the liaison unit."))
            return redirect("engagement:detail", pk=created.pk)
    return render(request, "engagement/request_form.html", {"form": form}, status=400 if form.errors else 200)


def _detail(request, obj, *, move_form=None, status=200):
    user = request.user
    moves = services.allowed_moves(user, obj)
    return render(
        request,
        "engagement/detail.html",
        {
            "req": obj,
            "languages": selectors.language_names(obj),
            "moves": moves,
            "move_form": move_form or MoveForm(moves=moves),
            "can_assign": services.can_assign(user) and obj.is_open,
            "can_work": services.can_work(user, obj),
            "can_log": services.can_work(user, obj) and services.is_assigned(user, obj),
        },
        status=status,
    )


@require_GET
def request_detail(request, pk):
    return _detail(request, _request(request.user, pk))


@require_http_methods(["GET", "POST"])
def request_assign(request, pk):
    obj = _request(request.user, pk)
    if not services.can_assign(request.user):
        raise PermissionDenied(_("Only the coordinator assigns liaisons to requests."))
    suggestions = selectors.liaison_suggestions(obj)
    form = AssignForm(
        request.POST or None,
        suggestions=suggestions,
        initial={"liaisons": [lz.pk for lz in obj.liaisons.all()]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_assign(
                actor=request.user,
                request=obj,
                liaisons=form.cleaned_data["liaisons"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The assignment was saved; newly assigned liaisons are told by e-mail.")
            )
            return redirect("engagement:detail", pk=obj.pk)
    return render(
        request,
        "engagement/assign.html",
        {
            "req": obj,
            "form": form,
            "rows": list(zip(form["liaisons"], suggestions, strict=False)),
            "languages": selectors.language_names(obj),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def request_move(request, pk):
    obj = _request(request.user, pk)
    moves = services.allowed_moves(request.user, obj)
    if not moves:
        raise PermissionDenied(_("You cannot change this request."))
    form = MoveForm(request.POST, moves=moves)
    if form.is_valid():
        try:
            moved = services.request_move(actor=request.user, request=obj, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The request is now “%(status)s”.") % {"status": moved.get_status_display()}
            )
            return redirect("engagement:detail", pk=obj.pk)
    return _detail(request, obj, move_form=form, status=400)


@require_http_methods(["GET", "POST"])
def request_link(request, pk):
    obj = _request(request.user, pk)
    if not services.can_work(request.user, obj):
        raise PermissionDenied(_("You cannot link records to this request."))
    form = LinkForm(
        request.POST or None,
        contacts=list(selectors.linkable_contacts(obj)),
        events=list(selectors.linkable_events(obj)),
        alerts=list(selectors.linkable_alerts(obj)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_link(actor=request.user, request=obj, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The records were linked to the request."))
            return redirect("engagement:detail", pk=obj.pk)
    return render(
        request, "engagement/link.html", {"req": obj, "form": form}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def request_log_contact(request, pk):
    """Log a contact for the request with the ordinary contact form, and link it: one submit."""
    obj = _request(request.user, pk)
    liaison = selectors.liaison_of(request.user)
    if (
        liaison is None
        or not services.can_work(request.user, obj)
        or not services.is_assigned(request.user, obj)
    ):
        raise PermissionDenied(_("Only a liaison assigned to the request logs contacts for it."))
    form = ContactForm(request.POST or None, liaison=liaison)
    if not form.is_bound:
        allowed = set(form.fields["communities"].queryset.values_list("pk", flat=True))
        form.initial["communities"] = [c.pk for c in obj.communities.all() if c.pk in allowed]
        spoken = set(liaison_selectors.liaison_languages(liaison))
        needed = [code for code in obj.languages if code in spoken]
        if needed:
            form.initial["language"] = needed[0]
    if request.method == "POST" and form.is_valid():
        try:
            services.request_contact_log(
                actor=request.user, request=obj, liaison=liaison, **form.contact_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The contact was logged and linked to the request."))
            return redirect("engagement:detail", pk=obj.pk)
    return render(
        request,
        "engagement/contact_form.html",
        {"req": obj, "form": form},
        status=400 if form.errors else 200,
    )
