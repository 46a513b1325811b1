from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import events, selectors
from .forms import TrailFilterForm

PAGE_SIZE = 50


@permission_required("audit.view_trail", raise_exception=True)
@require_GET
def trail(request):
    form = TrailFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if request.GET and not form.is_valid():
        messages.warning(request, _("Some filters were not understood and were ignored."))
    entries = selectors.trail(**{k: v for k, v in filters.items() if v})
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_row(entry) for entry in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/trail.html", {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    )


def _row(entry) -> dict:
    """What the page shows of one entry: the event's name, and the details as pairs."""
    if entry.log_entry is not None:
        details = [(field, _change(values)) for field, values in (entry.log_entry.changes or {}).items()]
    else:
        details = [(key, value) for key, value in (entry.data or {}).items()]
    return {
        "entry": entry,
        "label": events.label(entry.event),
        "object_type": entry.content_type.name if entry.content_type else "",
        "details": details,
    }


def _change(values) -> str:
    if isinstance(values, dict):  # a many-to-many change: {"type": "m2m", "operation", "objects"}
        objects = ", ".join(str(o) for o in values.get("objects", []))
        operation = {"add": _("added"), "delete": _("removed"), "clear": _("all removed")}
        return f"{operation.get(values.get('operation'), values.get('operation', ''))}: {objects}"
    if isinstance(values, list | tuple) and len(values) == 2:
        return f"{values[0]} → {values[1]}"
    return str(values)
