from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import queue, selectors, services
from .forms import ContactFilterForm, ContactForm, DirectoryFilterForm
from .models import Contact
from .paging import seek_page
from .quarters import Quarter

PAGE_SIZE = 25


def _require_liaison(request):
    liaison = selectors.liaison_for_user(request.user)
    if liaison is None:
        raise PermissionDenied(_("Only liaison officers with a liaison profile can log contacts."))
    return liaison


@permission_required("liaison.add_contact", raise_exception=True)
@require_http_methods(["GET", "POST"])
def contact_new(request):
    liaison = _require_liaison(request)
    # "Log attendance" at a partner's regular meeting (a council): the form starts filled in.
    partner = selectors.partner_for_logging(request.GET.get("partner")) if request.method == "GET" else None
    form = ContactForm(request.POST or None, liaison=liaison, partner=partner)
    if request.method == "POST" and form.is_valid():
        try:
            contact, _created = services.contact_log_once(
                actor=request.user,
                liaison=liaison,
                client_id=form.cleaned_data.get("client_id"),
                **form.contact_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except services.ClientIdTaken:
            form.add_error(None, _("This form was already used for another contact. Start a new one."))
        else:
            # A second tap, or the device sending what it had queued, lands on the same contact.
            return redirect("liaison:contact-saved", pk=contact.pk)
    return render(
        request,
        "liaison/contact_form.html",
        {
            "form": form,
            "creating": True,
            "progress": selectors.quarter_progress(liaison),
            "meeting_of": partner,
            "meetings_today": [] if partner else selectors.meetings_on(liaison, timezone.localdate()),
        },
    )


@queue.endpoint
def contact_queue(request, client_id):
    """Where the field app sends contacts saved on the device (static/js/offline_store.js):
    the contact log's rules, each device identifier logged once, JSON answers."""
    liaison = _require_liaison(request)
    if not request.user.has_perm("liaison.add_contact"):
        raise PermissionDenied(_("Only liaison officers with a liaison profile can log contacts."))
    form = ContactForm(request.POST, liaison=liaison)
    if form.is_valid():
        try:
            contact, created = services.contact_log_once(
                actor=request.user, liaison=liaison, client_id=client_id, **form.contact_fields()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return queue.accepted(created=created, url=reverse("liaison:contact-saved", args=[contact.pk]))
    return queue.refused(form)


@permission_required("liaison.add_contact", raise_exception=True)
def contact_saved(request, pk):
    contact = get_object_or_404(selectors.contacts_visible_to(request.user), pk=pk)
    progress = selectors.quarter_progress(contact.liaison)
    return render(request, "liaison/contact_saved.html", {"contact": contact, "progress": progress})


@permission_required("liaison.view_contact", raise_exception=True)
def contact_list(request):
    current = Quarter.current()
    show_liaisons = request.user.has_perm("liaison.view_all_contacts")
    quarters = current.last(12)[::-1]
    asked = Quarter.parse(request.GET.get("quarter"))
    if asked and asked not in quarters:
        quarters.append(asked)
    form = ContactFilterForm(request.GET or None, quarters=quarters, show_liaisons=show_liaisons)
    filters = form.cleaned_data if form.is_valid() else {}
    if request.GET and not form.is_valid():
        messages.warning(request, _("Some filters were not understood and were ignored."))
    contacts = selectors.contact_list(
        user=request.user,
        quarter=Quarter.parse(filters.get("quarter")),
        community=filters.get("community"),
        kind=filters.get("kind") or None,
        language=filters.get("language") or None,
        liaison=filters.get("liaison"),
        unit=filters.get("unit") or None,
        interpreter={"yes": True, "no": False}.get(filters.get("interpreter") or ""),
    )
    page = seek_page(contacts, older=request.GET.get("older"), newer=request.GET.get("newer"), size=PAGE_SIZE)
    liaison = selectors.liaison_for_user(request.user)
    query = request.GET.copy()
    for key in ("page", "older", "newer"):
        query.pop(key, None)
    return render(
        request,
        "liaison/contact_list.html",
        {
            "form": form,
            "liaison_select": _liaison_select(form, filters.get("liaison")) if show_liaisons else None,
            "page": page,
            "progress": selectors.quarter_progress(liaison) if liaison else None,
            "can_edit_all": request.user.has_perm("liaison.manage_all_contacts"),
            "query": query.urlencode(),
        },
    )


def _liaison_select(form: ContactFilterForm, chosen) -> dict:
    """The liaison filter grouped by unit, for templates/bridge/_select.html: a unit of 200
    liaisons gets a select a person can scan, drawn by a plain loop (one widget template per
    option, through crispy-forms, cost most of the page)."""
    groups: list[dict] = [{"label": None, "options": [("", _("All liaisons"), chosen is None)]}]
    for liaison in form.fields["liaison"].queryset:  # ordered by unit, then name
        label = liaison.unit or None
        if groups[-1]["label"] != label or len(groups) == 1 and label:
            groups.append({"label": label, "options": []})
        groups[-1]["options"].append((str(liaison.pk), liaison.display_name, chosen == liaison))
    return {"name": "liaison", "label": form.fields["liaison"].label, "groups": groups}


def _editable_contact(request, pk) -> Contact:
    contact = get_object_or_404(Contact.objects.select_related("liaison"), pk=pk)
    if not services.can_write_contact(actor=request.user, liaison=contact.liaison):
        raise PermissionDenied(_("You can only change your own contacts."))
    return contact


@permission_required("liaison.change_contact", raise_exception=True)
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk):
    contact = _editable_contact(request, pk)
    form = ContactForm(request.POST or None, instance=contact, liaison=contact.liaison)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(actor=request.user, contact=contact, **form.contact_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The contact was updated."))
            return redirect("liaison:contact-list")
    return render(request, "liaison/contact_form.html", {"form": form, "creating": False, "contact": contact})


@permission_required("liaison.delete_contact", raise_exception=True)
@require_http_methods(["GET", "POST"])
def contact_delete(request, pk):
    contact = _editable_contact(request, pk)
    if request.method == "POST":
        services.contact_delete(actor=request.user, contact=contact)
        messages.success(request, _("The contact was deleted."))
        return redirect("liaison:contact-list")
    return render(request, "liaison/contact_confirm_delete.html", {"contact": contact})


@login_not_required
def directory(request):
    form = DirectoryFilterForm(
        request.GET or None,
        languages=selectors.directory_languages(),
        communities=selectors.active_communities(),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    if request.GET and not form.is_valid():
        messages.info(request, _("That filter is not available; showing everyone."))
    liaisons = selectors.directory(
        language=filters.get("language") or None, community=filters.get("community")
    )
    return render(request, "liaison/directory.html", {"form": form, "liaisons": liaisons})
