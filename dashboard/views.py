from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agencies import selectors as agency_selectors
from audit import events as audit_events
from audit.services import audit_record
from languages import content, formatting
from liaison.quarters import Quarter

from . import exports, outcomes, selectors, services
from . import regional as regional_selectors
from .forms import DashboardFilterForm
from .models import ExportJob


def _select(name: str, label: str, choices, selected: str) -> dict:
    """A filter <select> for templates/bridge/_select.html: `choices` are (value, text)
    pairs or (group, [(value, text), ...]); options come out grouped, the applied one marked."""
    groups: list[dict] = []
    for value, text in choices:
        if isinstance(text, list | tuple):
            groups.append({"label": value, "options": [(str(v), t, str(v) == selected) for v, t in text]})
        elif groups and groups[-1]["label"] is None:
            groups[-1]["options"].append((str(value), text, str(value) == selected))
        else:
            groups.append({"label": None, "options": [(str(value), text, str(value) == selected)]})
    return {"name": name, "label": label, "groups": groups}


def _filters(request, *, announce: bool):
    """The filters asked for; anything not understood is ignored (and said so on the page)."""
    span = selectors.data_range()
    units = selectors.units()
    form = DashboardFilterForm(request.GET or None, quarters=selectors.quarter_choices(span), units=units)
    values, rejected = form.accepted() if request.GET else ({}, [])
    if announce:
        for label in rejected:
            messages.warning(
                request,
                _("The %(filter)s you asked for was not understood, so it was ignored.")
                % {"filter": str(label).lower()},
            )
    filters = selectors.Filters(
        quarter=values.get("quarter") or Quarter.current(),
        unit=values.get("unit") or None,
        community=values.get("community"),
    )
    # Show what is applied, not what was typed: rejected values fall back to the defaults.
    shown = {
        "quarter": _select(
            "quarter",
            _("Year and quarter"),
            form.fields["quarter"].widget.choices,
            filters.quarter.key,
        ),
        "unit": _select("unit", _("Unit"), form.fields["unit"].choices, filters.unit or ""),
        "community": _select(
            "community",
            _("Community"),
            [("", _("All communities"))]
            + [(c.pk, str(content.localized(c, "name"))) for c in form.fields["community"].queryset],
            str(filters.community.pk) if filters.community else "",
        ),
    }
    return filters, shown, span


def _query(filters: selectors.Filters, **extra) -> str:
    params = {"quarter": filters.quarter.key}
    if filters.unit:
        params["unit"] = filters.unit
    if filters.community is not None:
        params["community"] = filters.community.pk
    params.update({k: v for k, v in extra.items() if v is not None})
    return urlencode(params)


class Links:
    """Each figure links to the contact list filtered to the records behind it."""

    def __init__(self, filters: selectors.Filters):
        self.base = reverse("liaison:contact-list")
        self.filters = filters

    def contacts(self, **params) -> str:
        query = {"quarter": self.filters.quarter.key}
        if self.filters.unit:
            query["unit"] = self.filters.unit
        if self.filters.community is not None:
            query["community"] = self.filters.community.pk
        query.update({k: v for k, v in params.items() if v is not None})
        return f"{self.base}?{urlencode(query)}"


def _chart_data(fig: selectors.Figures, trend: list[dict]) -> dict:
    return {
        "rtl": get_language_bidi(),
        "text": {
            "contacts": _("Contacts"),
            "target": _("Target"),
            "people": _("People reached"),
            "events": _("Events held"),
            "attendance": _("Attendance"),
        },
        "liaisons": {
            "labels": [r["name"] for r in fig.liaisons],
            "contacts": [r["contacts"] for r in fig.liaisons],
            "targets": [r["target"] for r in fig.liaisons],
        },
        "communities": {
            "labels": [r["community"].name for r in fig.communities],
            "contacts": [r["contacts"] for r in fig.communities],
        },
        "kinds": {"labels": [r["label"] for r in fig.kinds], "contacts": [r["contacts"] for r in fig.kinds]},
        "languages": {
            "labels": [r["label"] for r in fig.languages],
            "contacts": [r["contacts"] for r in fig.languages],
        },
        "trend": {
            "labels": [str(r["quarter"]) for r in trend],
            "contacts": [r["contacts"] for r in trend],
            "people": [r["people"] for r in trend],
            "events": [r.get("events") for r in trend],
            "attendance": [r.get("attendance") for r in trend],
        },
    }


def _survey_chart_data(surveys: dict) -> dict:
    """The survey trend's lines: a hidden quarter (too few answers) is a gap, None."""
    trend = surveys["trend"]
    return {
        "labels": [str(r["quarter"]) for r in trend],
        "axis": _("Share who agree (%)"),
        "series": [
            {"label": str(question), "data": [r["agree"][i] for r in trend]}
            for i, question in enumerate(surveys["questions"])
        ]
        + [{"label": _("Resolved (%)"), "data": [r["resolved"] for r in trend]}],
    }


@require_GET
@permission_required("dashboard.view_dashboard", raise_exception=True)
def home(request):
    filters, form, span = _filters(request, announce=True)
    quarter = filters.quarter
    context = {
        "form": form,
        "quarter": quarter,
        "previous": quarter.previous(),
        "next": quarter.next() if quarter.next().start <= Quarter.current().start else None,
        "query": _query(filters),
        "filters": filters,
        "span": span,
        "can_export": request.user.has_perm("dashboard.export_figures"),
    }
    if selectors.is_outside_data(quarter, span):
        context["outside"] = True
        context["current"] = Quarter.current()
        return render(request, "dashboard/home.html", context)

    fig = selectors.contact_figures(filters)
    trend = outcomes.add_events_to_trend(fig.trend, filters)
    links = Links(filters)
    share = _("%(name)s: share of target")
    for row in fig.liaisons:
        row["url"] = links.contacts(liaison=row["liaison"].pk)
        row["share"] = share % {"name": row["name"]}  # one translation, not one per row
    for row in fig.communities:
        row["url"] = links.contacts(community=row["community"].pk)
    for row in fig.kinds:
        row["url"] = links.contacts(kind=row["code"])
    for row in fig.languages:
        row["url"] = links.contacts(language=row["code"])
    for row in trend:
        row["url"] = links.contacts(quarter=row["quarter"].key)
    events = outcomes.event_figures(filters)
    concerns = outcomes.concern_figures(filters)
    surveys = outcomes.survey_figures(filters, [row["quarter"] for row in trend])
    chart_data = {**_chart_data(fig, trend), "surveys": _survey_chart_data(surveys)}
    context.update(
        {
            "surveys": surveys,
            "fig": fig,
            "trend": trend,
            "all_url": links.contacts(),
            "interpreter_url": links.contacts(interpreter="yes"),
            "chart_data": chart_data,
            "events": events,
            "concerns": concerns,
            "requests": outcomes.request_figures(filters),
            "concern_tables": [
                (_("By category"), concerns["by_category"], "concern-category-table"),
                (_("By community"), concerns["by_community"], "concern-community-table"),
            ]
            if concerns
            else [],
        }
    )
    return render(request, "dashboard/home.html", context)


EXPORTS = {("figures", "csv"), ("figures", "xlsx"), ("contacts", "csv"), ("contacts", "xlsx")}


@require_http_methods(["GET", "POST"])
@permission_required("dashboard.export_figures", raise_exception=True)
def export(request, what: str, fmt: str):
    """Figures, and contacts up to EXPORT_INLINE_ROWS, are sent at once; a larger contacts
    export is prepared by a job (POST; a GET asks first) whose page shows its progress."""
    if (what, fmt) not in EXPORTS:
        raise Http404
    everything = request.GET.get("scope") == "all"
    filters, _form, _span = _filters(request, announce=False)
    stem = f"bridge-{what}-{'all' if everything and what == 'contacts' else filters.quarter.key}"
    if filters.unit:
        stem += "-" + "".join(ch if ch.isalnum() else "-" for ch in filters.unit).lower()
    if filters.community is not None:
        stem += f"-{filters.community.slug}"
    if what == "contacts":
        scope = None if everything else filters
        rows = exports.contact_count(scope)
        if rows > settings.EXPORT_INLINE_ROWS:
            if request.method != "POST":
                return render(
                    request,
                    "dashboard/export_confirm.html",
                    {"rows": rows, "fmt": fmt, "action": request.get_full_path()},
                )
            job = services.export_job_start(
                request=request, what=what, fmt=fmt, filters=scope, filename=stem, rows=rows
            )
            return redirect("dashboard:export_job", job_id=job.pk)
        exports.export_record(request=request, what=what, fmt=fmt, filters=scope, rows=rows)
        return exports.contacts_csv(scope, stem) if fmt == "csv" else exports.contacts_xlsx(scope, stem)
    fig = selectors.contact_figures(filters)
    fig.trend = outcomes.add_events_to_trend(fig.trend, filters)
    sections = exports.figure_sections(fig, outcomes.export_sections(filters))
    exports.export_record(
        request=request,
        what=what,
        fmt=fmt,
        filters=filters,
        rows=sum(len(body) for _title, _header, body in sections),
    )
    return exports.figures_csv(sections, stem) if fmt == "csv" else exports.figures_xlsx(sections, stem)


def _own_job(request, job_id) -> ExportJob:
    job = selectors.export_job_for(request.user, job_id)
    if job is None:  # someone else's job: a 404, never a 403 that says it exists
        raise Http404
    return job


def _job_status(job: ExportJob) -> dict:
    done = services.export_progress(job)
    return {
        "state": job.state,
        "label": str(job.get_state_display()),
        "percent": job.percent_at(done),
        "rows_done": done,
        "rows_total": job.rows_total,
        "progress": _("%(done)s of %(total)s contacts written")
        % {"done": formatting.format_number(done), "total": formatting.format_number(job.rows_total)},
    }


@require_GET
@permission_required("dashboard.export_figures", raise_exception=True)
def export_job(request, job_id):
    job = _own_job(request, job_id)
    if request.GET.get("format") == "json":  # static/js/export_job.js polls this
        response = JsonResponse(_job_status(job))
        response["Cache-Control"] = "no-store"
        return response
    return render(
        request,
        "dashboard/export_job.html",
        {
            "job": job,
            "status": _job_status(job),
            "downloadable": job.downloadable(),
            "scope": _scope_text(job),
        },
    )


def _scope_text(job: ExportJob) -> str:
    """What the job exports, in the reader's words: the quarter, unit and community."""
    filters = selectors.filters_of(job.scope)
    if filters is None:
        return _("Every contact ever logged")
    parts = [str(filters.quarter)]
    if filters.unit:
        parts.append(filters.unit)
    if filters.community is not None:
        parts.append(str(content.localized(filters.community, "name")))
    return " · ".join(parts)


@require_GET
@permission_required("dashboard.export_figures", raise_exception=True)
def export_download(request, job_id):
    job = _own_job(request, job_id)
    if not job.downloadable():
        if job.state in (ExportJob.State.QUEUED, ExportJob.State.RUNNING):
            return redirect("dashboard:export_job", job_id=job.pk)
        return render(request, "dashboard/export_gone.html", {"job": job}, status=410)
    audit_record(
        event=audit_events.EXPORT_DOWNLOADED,
        request=request,
        data={"export": job.what, "format": job.fmt, "job": str(job.pk), "rows": job.rows_total},
    )
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=f"{job.filename}.{job.fmt}",
        content_type=exports.CONTENT_TYPES[job.fmt],
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@permission_required("dashboard.export_figures", raise_exception=True)
def export_jobs(request):
    jobs = selectors.export_jobs_of(request.user)
    rows = [
        {"job": j, "status": _job_status(j), "scope": _scope_text(j), "downloadable": j.downloadable()}
        for j in jobs
    ]
    return render(
        request, "dashboard/export_jobs.html", {"rows": rows, "link_hours": settings.EXPORT_LINK_HOURS}
    )


# --- the regional view -------------------------------------------------------------------

REGIONAL_QUARTERS = 12  # the quarters a regional analyst may pick, newest first


def _regional_access(request) -> None:
    # Membership.regional_analyst, read each time: a flag taken away takes effect at once.
    if not agency_selectors.is_regional_analyst(request.user):
        raise PermissionDenied


def _regional_quarter(request, *, announce: bool) -> tuple[Quarter, dict]:
    current = Quarter.current()
    choices = current.last(REGIONAL_QUARTERS)[::-1]
    asked = request.GET.get("quarter")
    quarter = Quarter.parse(asked)
    if quarter not in choices:
        if asked and announce:
            messages.warning(
                request,
                _("The %(filter)s you asked for was not understood, so it was ignored.")
                % {"filter": _("Year and quarter").lower()},
            )
        quarter = current
    picker = _select("quarter", _("Year and quarter"), [(q.key, str(q)) for q in choices], quarter.key)
    return quarter, picker


@require_GET
def regional(request):
    """The sharing agencies' figures summed, for a regional analyst: totals only."""
    _regional_access(request)
    quarter, picker = _regional_quarter(request, announce=True)
    fig = regional_selectors.regional_figures(quarter)
    audit_record(
        event=audit_events.REGIONAL_VIEWED,
        request=request,
        data={"quarter": quarter.key, "agencies": [a["id"] for a in fig.agencies]},
    )
    previous = quarter.previous()
    following = quarter.next()
    return render(
        request,
        "dashboard/regional.html",
        {
            "fig": fig,
            "quarter": quarter,
            "picker": picker,
            "previous": previous if previous in Quarter.current().last(REGIONAL_QUARTERS) else None,
            "next": following if following.start <= Quarter.current().start else None,
            "agency_names": [a["name"] for a in fig.agencies],
        },
    )


@require_GET
def regional_export(request):
    """The regional view's tables as CSV, on the audit trail like every export."""
    _regional_access(request)
    quarter, _picker = _regional_quarter(request, announce=False)
    fig = regional_selectors.regional_figures(quarter)
    sections = regional_selectors.export_sections(fig)
    audit_record(
        event=audit_events.REGIONAL_EXPORTED,
        request=request,
        data={
            "export": "regional",
            "format": "csv",
            "quarter": quarter.key,
            "agencies": [a["id"] for a in fig.agencies],
            "rows": sum(len(body) for _title, _header, body in sections),
        },
    )
    return exports.figures_csv(sections, f"bridge-regional-{quarter.key}")
