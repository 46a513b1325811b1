# ruff: noqa: S608 - SQL here is assembled from constants and model table names only; every
# value is passed as a query parameter.
"""The dashboard's reads. Each figure is one GROUP BY over either the running totals (PostgreSQL,
kept exact by triggers: dashboard/rollup.py) or the contacts themselves (other databases, and
the benchmark's "plain SQL" baseline). Both sources have the same columns, so the figures are
computed by the same queries and a property test can compare them row for row.

The number of queries does not depend on the number of contacts, liaisons or communities.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from agencies import context as agency_context
from languages import content
from liaison.languages import language_name
from liaison.models import Assignment, Contact, Liaison, PriorityCommunity, QuarterlyTarget
from liaison.quarters import Quarter

from . import rollup
from .models import ExportJob

TREND_QUARTERS = 8
ROLLUP, RAW = "rollup", "raw"


@dataclass(frozen=True)
class Filters:
    quarter: Quarter
    unit: str | None = None
    community: PriorityCommunity | None = None
    # The agencies whose figures are summed: None, the agency being worked for (the regional
    # view passes the agencies that share theirs).
    agencies: tuple[int, ...] | None = None


def _current_agencies() -> tuple[int, ...] | None:
    agency_id = agency_context.current_id()
    return None if agency_id is None else (agency_id,)


# --- the two sources -------------------------------------------------------------------


def _relation(
    per_community: bool, start: dt.date, end: dt.date, source: str, dims: tuple[str, ...]
) -> tuple[str, list]:
    """SQL yielding (month, dim, [community_id,] liaison_id, value, contacts, people) for the
    contacts dated start..end, counted under each dimension in `dims`."""
    if source == ROLLUP:
        totals, deltas = rollup.relation_sql(per_community)
        cols = (
            "month, dim, "
            + ("community_id, " if per_community else "")
            + "liaison_id, value, contacts, people"
        )
        marks = ", ".join(["%s"] * len(dims))
        where = f"month >= %s AND month <= %s AND dim IN ({marks})"
        params = [start.replace(day=1), end, *dims]
        return (
            f"(SELECT {cols} FROM {totals} WHERE {where} UNION ALL SELECT {cols} FROM {deltas} WHERE {where})",
            params + params,
        )
    contact = Contact._meta.db_table
    link = Contact.communities.through._meta.db_table
    month = rollup.month_sql("c.date", connection.vendor)
    community = "l.prioritycommunity_id AS community_id, " if per_community else ""
    join = f"JOIN {link} l ON l.contact_id = c.id " if per_community else ""
    if dims == ("i",):
        dim_sql, value = "'i'", "(CASE WHEN c.interpreter_used THEN '1' ELSE '0' END)"
        cross = ""
    else:
        dim_sql, value = "d.dim", rollup.value_sql("c")
        cross = f"CROSS JOIN {rollup.DIMS_SQL} d "
    where = "c.date >= %s AND c.date <= %s"
    params: list = [start, end]
    if cross:
        where += f" AND d.dim IN ({', '.join(['%s'] * len(dims))})"
        params += list(dims)
    return (
        f"(SELECT {month} AS month, {dim_sql} AS dim, {community}c.liaison_id AS liaison_id, "
        f"{value} AS value, 1 AS contacts, c.people_reached AS people "
        f"FROM {contact} c {join}{cross}WHERE {where})",
        params,
    )


def _query(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def quarter_trend(filters: Filters, quarters: list[Quarter], source: str) -> list[dict]:
    """Contacts and people reached in each of `quarters` (oldest first), each contact once: one
    GROUP BY month over them all, folded into quarters. Rows: {"quarter", "contacts", "people"}."""
    months: dict[dt.date, tuple[int, int]] = {}
    for month, c, p in _scoped(
        "s.month, SUM(s.contacts), SUM(s.people)",
        "s.month",
        filters,
        quarters[0].start,
        quarters[-1].end,
        source,
        ("i",),
    ):
        if isinstance(month, str):
            month = dt.date.fromisoformat(month[:10])
        elif isinstance(month, dt.datetime):
            month = month.date()
        months[month] = (int(c or 0), int(p or 0))
    trend = []
    for quarter in quarters:
        inside = [v for m, v in months.items() if quarter.start <= m <= quarter.end]
        trend.append(
            {"quarter": quarter, "contacts": sum(v[0] for v in inside), "people": sum(v[1] for v in inside)}
        )
    return trend


def _scoped(
    select: str,
    group: str,
    filters: Filters,
    start: dt.date,
    end: dt.date,
    source: str,
    dims: tuple[str, ...],
    per_community: bool = False,
) -> list[tuple]:
    """One GROUP BY over the source, narrowed to the filters' unit or community."""
    per_community = per_community or filters.community is not None
    rel, params = _relation(per_community, start, end, source, dims)
    sql = f"SELECT {select} FROM {rel} s"
    where = []
    agencies = filters.agencies if filters.agencies is not None else _current_agencies()
    if filters.unit or agencies is not None:
        # Every row of the totals is a liaison's: its agency is the liaison's (agencies/).
        sql += f" JOIN {Liaison._meta.db_table} lz ON lz.id = s.liaison_id"
    if agencies is not None:
        where.append(f"lz.agency_id IN ({', '.join(['%s'] * len(agencies))})" if agencies else "FALSE")
        params.extend(agencies)
    if filters.unit:
        where.append("lz.unit = %s")
        params.append(filters.unit)
    if filters.community is not None:
        where.append("s.community_id = %s")
        params.append(filters.community.pk)
    if where:
        sql += " WHERE " + " AND ".join(where)
    return _query(f"{sql} GROUP BY {group}", params)


def default_source() -> str:
    return ROLLUP if rollup.enabled() else RAW


# --- figures ---------------------------------------------------------------------------


@dataclass
class Figures:
    filters: Filters
    total_contacts: int = 0
    total_people: int = 0
    liaisons: list[dict] = field(default_factory=list)
    communities: list[dict] = field(default_factory=list)
    gap: list[PriorityCommunity] = field(default_factory=list)
    kinds: list[dict] = field(default_factory=list)
    languages: list[dict] = field(default_factory=list)
    interpreter: int = 0
    trend: list[dict] = field(default_factory=list)

    @property
    def interpreter_percent(self) -> int:
        return round(100 * self.interpreter / self.total_contacts) if self.total_contacts else 0


def contact_figures(filters: Filters, *, source: str | None = None) -> Figures:
    """Everything the dashboard shows about contacts for one quarter, in a fixed number of
    queries: liaisons, communities, targets, three GROUP BYs and the trend."""
    source = source or default_source()
    q = filters.quarter
    fig = Figures(filters=filters)

    # 1. Per liaison (each contact once, split by interpreter used or not), in the quarter.
    by_liaison: dict[int, list[int]] = {}
    for liaison_id, value, contacts, people in _scoped(
        "s.liaison_id, s.value, SUM(s.contacts), SUM(s.people)",
        "s.liaison_id, s.value",
        filters,
        q.start,
        q.end,
        source,
        ("i",),
    ):
        contacts, people = int(contacts or 0), int(people or 0)
        if contacts:
            row = by_liaison.setdefault(liaison_id, [0, 0])
            row[0] += contacts
            row[1] += people
            if value == "1":
                fig.interpreter += contacts
    # 2. By kind and by language, across the liaisons in scope.
    kinds: dict[str, list[int]] = {}
    languages: dict[str, list[int]] = {}
    for dim, value, contacts, people in _scoped(
        "s.dim, s.value, SUM(s.contacts), SUM(s.people)",
        "s.dim, s.value",
        filters,
        q.start,
        q.end,
        source,
        ("k", "l"),
    ):
        if contacts:
            (kinds if dim == "k" else languages)[value] = [int(contacts), int(people or 0)]
    fig.total_contacts = sum(v[0] for v in by_liaison.values())
    fig.total_people = sum(v[1] for v in by_liaison.values())
    kind_labels = dict(Contact.Kind.choices)
    fig.kinds = sorted(
        (
            {"code": k, "label": str(kind_labels.get(k, k)), "contacts": v[0], "people": v[1]}
            for k, v in kinds.items()
            if v[0]
        ),
        key=lambda r: (-r["contacts"], r["label"]),
    )
    fig.languages = sorted(
        (
            {"code": k, "label": language_name(k), "contacts": v[0], "people": v[1]}
            for k, v in languages.items()
            if v[0]
        ),
        key=lambda r: (-r["contacts"], r["label"]),
    )

    # 2. Liaisons: everyone active in scope, and anyone else who logged contacts in it.
    liaisons = Liaison.objects.select_related("user").only(
        "id", "unit", "badge_number", "is_active", "user__first_name", "user__last_name", "user__username"
    )
    in_scope = Q(is_active=True)
    if filters.community is not None:
        in_scope &= Q(
            assignments__in=Assignment.objects.filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=q.start),
                community=filters.community,
                starts_on__lte=q.end,
            )
        )
    liaisons = liaisons.filter(in_scope | Q(id__in=list(by_liaison)))
    if filters.unit:
        liaisons = liaisons.filter(unit=filters.unit)
    # 3. Targets: one unit default and per-liaison overrides, read once.
    targets = dict(QuarterlyTarget.objects.values_list("liaison_id", "contacts"))
    default_target = targets.get(None, settings.BRIDGE_DEFAULT_QUARTERLY_TARGET)
    rows = []
    for lz in liaisons.distinct():
        contacts, people = by_liaison.get(lz.pk, (0, 0))
        target = targets.get(lz.pk, default_target)
        rows.append(
            {
                "liaison": lz,
                "name": lz.display_name,
                "contacts": contacts,
                "people": people,
                "target": target,
                "percent": min(100, round(100 * contacts / target)) if target else 100,
            }
        )
    fig.liaisons = sorted(rows, key=lambda r: r["name"].casefold())

    # 4. Per community (a contact with two communities counts in both).
    per_community = {
        cid: (int(c or 0), int(p or 0))
        for cid, c, p in _scoped(
            "s.community_id, SUM(s.contacts), SUM(s.people)",
            "s.community_id",
            filters,
            q.start,
            q.end,
            source,
            ("i",),
            per_community=True,
        )
    }
    # 5. Communities that were a priority at any time in the quarter.
    communities = PriorityCommunity.objects.filter(
        Q(active_until__isnull=True) | Q(active_until__gte=q.start), active_from__lte=q.end
    ).only("id", "slug", "priority_level", "active_from", "active_until", *content.read_columns("name"))
    if filters.community is not None:
        communities = communities.filter(pk=filters.community.pk)
    for comm in communities:
        contacts, people = per_community.get(comm.pk, (0, 0))
        fig.communities.append({"community": comm, "contacts": contacts, "people": people})
        if contacts == 0:
            fig.gap.append(comm)
    fig.communities.sort(key=lambda r: (-r["contacts"], r["community"].name))
    fig.gap.sort(key=lambda c: (c.priority_level, c.name))

    # 6. The trend: the eight quarters ending with this one.
    fig.trend = quarter_trend(filters, q.last(TREND_QUARTERS), source)
    return fig


def data_range() -> tuple[Quarter, Quarter] | None:
    """The first and last quarter with a contact (an index lookup at each end)."""
    first = Contact.objects.order_by("date").values_list("date", flat=True).first()
    if first is None:
        return None
    last = Contact.objects.order_by("-date").values_list("date", flat=True).first()
    return Quarter.containing(first), Quarter.containing(last)


def quarter_choices(span: tuple[Quarter, Quarter] | None) -> list[Quarter]:
    """Quarters a commander may pick, newest first: from the first record to this quarter."""
    current = Quarter.current()
    first = min(span[0], current) if span else current
    out, q = [], current
    while q >= first:
        out.append(q)
        q = q.previous()
    return out


def units() -> list[str]:
    return list(Liaison.objects.exclude(unit="").order_by("unit").values_list("unit", flat=True).distinct())


def is_outside_data(quarter: Quarter, span: tuple[Quarter, Quarter] | None) -> bool:
    if quarter.start > timezone.localdate():
        return True
    if span is None:
        return True
    return quarter < span[0] or quarter > max(span[1], Quarter.current())


def communities_by_id() -> dict:
    """Every priority community (a unit has a dozen or so), with its names, by id."""
    return {c.pk: c for c in PriorityCommunity.objects.all()}


# --- export jobs -----------------------------------------------------------------------


def export_job_for(user, job_id) -> ExportJob | None:
    """The user's own export job, or None: another user's job is as absent as a missing one."""
    try:
        return ExportJob.objects.filter(pk=job_id, owner=user).first()
    except (ValueError, ValidationError):  # not a UUID
        return None


def export_jobs_of(user, limit: int = 20) -> list[ExportJob]:
    """The user's most recent export jobs, newest first."""
    return list(ExportJob.objects.filter(owner=user).order_by("-created_at")[:limit])


def filters_of(scope: dict) -> Filters | None:
    """An export job's stored scope (dashboard.services.scope_of) as filters again."""
    if scope.get("scope") == "all":
        return None
    community = None
    if scope.get("community"):
        community = PriorityCommunity.objects.filter(slug=scope["community"]).first()
    return Filters(
        quarter=Quarter.parse(scope["quarter"]) or Quarter.current(),
        unit=scope.get("unit") or None,
        community=community,
    )
