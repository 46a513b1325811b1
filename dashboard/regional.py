"""The regional view's reads: the dashboard's figures summed across the agencies that agreed to
share them (Agency.shares_regional_figures), for a regional analyst. Only totals leave here:
counts, medians and agency and community names, never a record, a person's name, an address or
anything someone wrote.

The same grouped queries as the dashboard (dashboard.selectors' sources, with
Filters.agencies; feedback's concern figures and the survey answers with `agencies=`), so a
fixed number of queries whatever the number of agencies or contacts. On PostgreSQL they run as
the read-only regional role (agencies.rls.regional), whose row-level policy admits the sharing
agencies' rows only.

Communities belong to an agency; the same community in several agencies (its slug, e.g.
"somali") is one row here, named in the reader's language from the first agency that has it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from agencies import rls
from agencies import selectors as agency_selectors
from feedback import selectors as feedback_selectors
from languages import content
from liaison.models import PriorityCommunity
from liaison.quarters import Quarter
from surveys import selectors as survey_selectors
from surveys.models import QUESTIONS

from . import selectors
from .outcomes import _bounds, _days
from .selectors import Filters

TREND_QUARTERS = 4


@dataclass(frozen=True)
class Community:
    id: int
    slug: str
    agency_id: int
    priority_level: int
    active_from: dt.date
    active_until: dt.date | None
    name: str  # in the reader's language


@dataclass
class Regional:
    quarter: Quarter
    agencies: list[dict] = field(default_factory=list)  # {"id", "name"}: the sharing agencies
    total_contacts: int = 0
    total_people: int = 0
    communities: list[dict] = field(default_factory=list)
    trend: list[dict] = field(default_factory=list)
    gaps: list[dict] = field(default_factory=list)
    concerns: dict = field(default_factory=dict)
    surveys: dict = field(default_factory=dict)

    @property
    def gap_total(self) -> int:
        return sum(row["count"] for row in self.gaps)


def _active_in(quarter: Quarter, comm) -> bool:
    return comm.active_from <= quarter.end and (
        comm.active_until is None or comm.active_until >= quarter.start
    )


def regional_figures(quarter: Quarter) -> Regional:
    """Every figure of the regional view for one quarter (six queries)."""
    with rls.regional():
        return _figures(quarter)


def _figures(quarter: Quarter) -> Regional:
    out = Regional(quarter=quarter)
    out.agencies = [
        {"id": a.pk, "name": a.name} for a in agency_selectors.sharing_agencies().only("id", "name")
    ]
    ids = tuple(a["id"] for a in out.agencies)
    if not ids:
        return out
    filters = Filters(quarter=quarter, agencies=ids)
    agency_names = {a["id"]: a["name"] for a in out.agencies}
    order = {a["id"]: i for i, a in enumerate(out.agencies)}

    # 1. The sharing agencies' communities (a dozen or so each), every one ever: a survey
    # answer may name one no longer a priority. Read as plain rows, not models: at fifty
    # agencies, building six hundred instances cost more than the query.
    communities = sorted(
        (
            Community(
                **{
                    k: row[k]
                    for k in ("id", "slug", "agency_id", "priority_level", "active_from", "active_until")
                },
                name=str(content.localized_value(row, "name")),
            )
            for row in PriorityCommunity.all_agencies.filter(agency_id__in=ids).values(
                "id",
                "slug",
                "agency_id",
                "priority_level",
                "active_from",
                "active_until",
                *content.read_columns("name"),
            )
        ),
        key=lambda c: (order[c.agency_id], c.id),
    )
    by_id = {c.id: c for c in communities}
    names_by_slug: dict[str, str] = {}
    for c in communities:
        names_by_slug.setdefault(c.slug, c.name)

    def slug_name(slug: str) -> str:
        return names_by_slug[slug]

    # 2. Contacts and people per community in the quarter, folded by slug.
    per_community = {
        cid: (int(c or 0), int(p or 0))
        for cid, c, p in selectors._scoped(
            "s.community_id, SUM(s.contacts), SUM(s.people)",
            "s.community_id",
            filters,
            quarter.start,
            quarter.end,
            selectors.default_source(),
            ("i",),
            per_community=True,
        )
    }
    rows: dict[str, dict] = {}
    gaps: dict[int, list] = {}
    for comm in communities:
        if not _active_in(quarter, comm):
            continue
        contacts, people = per_community.get(comm.id, (0, 0))
        row = rows.setdefault(comm.slug, {"slug": comm.slug, "agencies": 0, "contacts": 0, "people": 0})
        row["agencies"] += 1
        row["contacts"] += contacts
        row["people"] += people
        if contacts == 0:
            gaps.setdefault(comm.agency_id, []).append(comm)
    for row in rows.values():
        row["name"] = slug_name(row["slug"])
    out.communities = sorted(rows.values(), key=lambda r: (-r["contacts"], r["name"].casefold()))

    # 3. The totals, each contact once (a contact with two communities counts once here).
    out.trend = selectors.quarter_trend(filters, quarter.last(TREND_QUARTERS), selectors.default_source())
    out.total_contacts = out.trend[-1]["contacts"]
    out.total_people = out.trend[-1]["people"]

    # 4. Coverage gaps, per agency (an agency's name is not personal data).
    for agency in out.agencies:
        missing = sorted(gaps.get(agency["id"], []), key=lambda c: (c.priority_level, c.name))
        out.gaps.append(
            {
                "agency": agency["name"],
                "count": len(missing),
                "communities": [c.name for c in missing],
            }
        )

    # 5. Concerns: received, resolved, median days to first action; summed and per agency.
    start, end = _bounds(quarter.start, quarter.end)
    # One statement: per agency, and the total row for all of them (GROUPING SETS).
    groups = feedback_selectors.concern_outcome_groups(
        start=start, end=end, by="agency", agencies=ids, with_total=True
    )
    total = next(r for r in groups if r.get("total"))
    per_agency = {r["key"]: r for r in groups if not r.get("total")}
    out.concerns = {
        "received": total["received"],
        "resolved": total["resolved"],
        "median_days": _days(total["median"]),
        "by_agency": [
            {
                "agency": agency_names[aid],
                "received": per_agency.get(aid, {}).get("received", 0),
                "resolved": per_agency.get(aid, {}).get("resolved", 0),
                "median_days": _days(per_agency.get(aid, {}).get("median")),
            }
            for aid in ids
        ],
    }

    # 6. Survey answers per community (by slug, summed across agencies), shown only where the
    # summed group reaches the anonymity threshold; the rest are counted, never shown.
    least = survey_selectors.min_responses()
    groups = survey_selectors.survey_groups(
        start=quarter.start, end=quarter.end + dt.timedelta(days=1), agencies=ids
    )
    summed: dict[str | None, dict] = {}
    for cid, figures in groups.items():
        comm = by_id.get(cid)
        key = comm.slug if comm is not None else None
        acc = summed.setdefault(key, {"answers": 0, **dict.fromkeys(QUESTIONS, 0)})
        for name in acc:
            acc[name] += figures.get(name, 0)
    none = _("Not given")

    def line(label: str, figures: dict) -> dict:
        n = figures["answers"]
        return {
            "label": label,
            "answers": n,
            "agree": [round(100 * figures[q] / n) for q in QUESTIONS],
        }

    shown, hidden, hidden_answers = [], 0, 0
    for key, figures in summed.items():
        if figures["answers"] >= least:
            shown.append(line(slug_name(key) if key is not None else none, figures))
        else:
            hidden += 1
            hidden_answers += figures["answers"]
    shown.sort(key=lambda r: (-r["answers"], r["label"].casefold()))
    total_answers = {"answers": sum(f["answers"] for f in summed.values())}
    for q in QUESTIONS:
        total_answers[q] = sum(f[q] for f in summed.values())
    out.surveys = {
        "least": least,
        "questions": [str(q) for q in QUESTIONS.values()],
        "rows": shown,
        "hidden": hidden,
        # The total minus the shown rows is what was hidden: shown only when that remainder
        # itself reaches the threshold (or nothing was hidden), so no small group is singled out.
        "total": line(_("Total"), total_answers)
        if total_answers["answers"] >= max(least, 1) and (hidden_answers == 0 or hidden_answers >= least)
        else None,
    }
    return out


def export_sections(fig: Regional) -> list[tuple[str, list, list]]:
    """The page's tables as (title, header, rows) for the CSV export (dashboard.exports)."""
    too_few = _("too few answers to show")
    surveys = fig.surveys
    sections = [
        (
            _("Agencies counted"),
            [_("Agency")],
            [[a["name"]] for a in fig.agencies],
        ),
        (
            _("Contacts per community"),
            [_("Community"), _("Agencies"), _("Contacts"), _("People reached")],
            [[r["name"], r["agencies"], r["contacts"], r["people"]] for r in fig.communities],
        ),
        (
            _("Contacts per quarter"),
            [_("Quarter"), _("Contacts"), _("People reached")],
            [[str(r["quarter"]), r["contacts"], r["people"]] for r in fig.trend],
        ),
        (
            _("Priority communities not reached"),
            [_("Agency"), _("Communities not reached"), _("Which")],
            [[g["agency"], g["count"], "; ".join(g["communities"])] for g in fig.gaps],
        ),
    ]
    if fig.concerns:
        header = [_("Received"), _("Resolved"), _("Median days to action taken")]
        sections.append(
            (
                _("Concerns by agency"),
                [_("Agency"), *header],
                [
                    [r["agency"], r["received"], r["resolved"], r["median_days"] or ""]
                    for r in fig.concerns["by_agency"]
                ]
                + [
                    [
                        _("Total"),
                        fig.concerns["received"],
                        fig.concerns["resolved"],
                        fig.concerns["median_days"] or "",
                    ]
                ],
            )
        )
    if surveys:
        header = [_("Community"), _("Answers")]
        header += [_("Agree: %(statement)s") % {"statement": q} for q in surveys["questions"]]
        body = [[r["label"], r["answers"], *r["agree"]] for r in surveys["rows"]]
        total = surveys["total"]
        body.append([_("Total"), total["answers"], *total["agree"]] if total else [_("Total"), too_few])
        sections.append((_("What people told us, by community"), header, body))
    return sections
