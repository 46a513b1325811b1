"""Outreach events and community concerns on the dashboard, read through the selectors the
outreach and feedback apps own (never their models by name). Each section costs a fixed number of queries; the rows they return grow
with the unit's events and concerns, which are counted in hundreds, not millions.

Definitions used in the figures (also shown on the page):
- an event is "held" when its attendance has been recorded for an occurrence dated in the
  quarter; attendance is the people recorded as having come;
- a concern is "received" in the quarter it was submitted; "resolved" in the quarter it first
  reached "action taken" or "closed"; the days to action taken run from submission to its first
  "action taken";
- a concern "has no response" while it is received or in review and has no public response.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from engagement import selectors as engagement_selectors
from engagement.models import EngagementRequest
from feedback import selectors as feedback_selectors
from languages import content
from outreach import selectors as outreach_selectors
from surveys import selectors as survey_selectors
from surveys.models import QUESTIONS

from . import selectors
from .selectors import Filters

UNREACHED = "–"


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The quarter as aware datetimes in the deployment's time zone: [start, end + 1 day)."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


# --- events ----------------------------------------------------------------------------


def _attendance(filters: Filters, start: dt.date, end: dt.date):
    return outreach_selectors.attendance_held(
        start=start, end=end, community=filters.community, unit=filters.unit
    )


def add_events_to_trend(trend: list[dict], filters: Filters) -> list[dict]:
    """Events held and attendance for each quarter of the trend (one query)."""
    if not trend:
        return trend
    first, last = trend[0]["quarter"], trend[-1]["quarter"]
    rows = _attendance(filters, first.start, last.end).values_list("date", "total")
    per = defaultdict(lambda: [0, 0])
    for day, total in rows:
        for row in trend:
            if row["quarter"].start <= day <= row["quarter"].end:
                per[row["quarter"]][0] += 1
                per[row["quarter"]][1] += total
                break
    url = reverse("outreach:staff-events")
    for row in trend:
        row["events"], row["attendance"] = per[row["quarter"]]
        row["events_url"] = url
    return trend


def event_figures(filters: Filters) -> dict:
    q = filters.quarter
    held = _attendance(filters, q.start, q.end)
    by_kind = outreach_selectors.attendance_by_kind(held)
    by_community = outreach_selectors.attendance_by_community(held, filters.community)
    return {
        "held": sum(r["events"] for r in by_kind),
        "attendance": sum(r["attendance"] for r in by_kind),
        "by_kind": by_kind,
        "by_community": by_community,
        "url": reverse("outreach:staff-events"),
    }


# --- concerns --------------------------------------------------------------------------


def stale_days() -> int:
    return int(getattr(settings, "BRIDGE_DASHBOARD_CONCERN_STALE_DAYS", 14))


def concern_figures(filters: Filters) -> dict:
    """Counted by the database (feedback.selectors.concern_outcome_groups): three grouped
    queries, whatever the number of concerns, and names for the groups shown."""
    start, end = _bounds(filters.quarter.start, filters.quarter.end)
    scope = {"start": start, "end": end, "community": filters.community, "unit": filters.unit}
    groups = {
        by: feedback_selectors.concern_outcome_groups(by=by, **scope) for by in ("category", "community")
    }
    (totals,) = feedback_selectors.concern_outcome_groups(by=None, **scope)
    none = _("Not given")
    names = {
        "category": feedback_selectors.categories_by_id(),
        "community": selectors.communities_by_id(),
    }

    def table(by):
        out = []
        for r in groups[by]:
            obj = names[by].get(r["key"])
            out.append(
                {
                    "label": content.localized(obj, "name") if obj is not None else none,
                    "received": r["received"],
                    "resolved": r["resolved"],
                    "median_days": _days(r["median"]),
                }
            )
        return sorted(out, key=lambda r: (-r["received"], -r["resolved"], str(r["label"])))

    days = stale_days()
    stale = feedback_selectors.concerns_without_response(
        older_than=timezone.now() - dt.timedelta(days=days), community=filters.community, unit=filters.unit
    )
    stale_list = list(stale[:26])
    now = timezone.now()
    queue = reverse("feedback:concern-queue")
    age = next((a for a in (90, 30, 7) if days >= a), None)
    return {
        "received": totals["received"],
        "resolved": totals["resolved"],
        "median_days": _days(totals["median"]),
        "by_category": table("category"),
        "by_community": table("community"),
        "stale_days": days,
        "stale": [
            {
                "code": c.code_display,
                "category": content.localized(c.category, "name"),
                "community": content.localized(c.community, "name") if c.community else none,
                "status": c.get_status_display(),
                "age": (now - c.created_at).days,
                "url": reverse("feedback:concern-detail", args=[c.pk]),
            }
            for c in stale_list[:25]
        ],
        "stale_more": len(stale_list) > 25,
        "queue_url": f"{queue}?age={age}" if age else queue,
    }


def _days(span: dt.timedelta | None) -> float | None:
    return round(span.total_seconds() / 86400, 1) if span is not None else None


# --- what people told us (surveys, "was it resolved?") ---------------------------------


def _share(part: int, whole: int, least: int) -> float | None:
    """A percentage, or None (shown as "too few answers to show") under `least` answers."""
    return round(100 * part / whole) if whole >= least and whole else None


def _survey_row(label, answers: dict | None, followups: tuple[int, int] | None, least: int) -> dict:
    answers = answers or {"answers": 0}
    asked, resolved = followups or (0, 0)
    n = answers["answers"]
    return {
        "label": label,
        "answers": n,
        "shown": n >= least,
        "agree": [_share(answers.get(q, 0), n, least) for q in QUESTIONS],
        "followups": asked,
        "resolved": _share(resolved, asked, least),
    }


def survey_figures(filters: Filters, trend_quarters: list) -> dict:
    """Survey answers (share who agree with each statement) and the resolved rate of
    "was it resolved?", per community for the quarter and for the whole unit over the trend's
    quarters; any group under SURVEY_MIN_RESPONSES answers is hidden, never estimated.
    Fixed cost: two grouped queries for the quarter and two for the trend."""
    least = survey_selectors.min_responses()
    q = filters.quarter
    start, end = _bounds(q.start, q.end)
    end_day = q.end + dt.timedelta(days=1)
    answers = survey_selectors.survey_groups(start=q.start, end=end_day, community=filters.community)
    followups = feedback_selectors.followup_rates(start=start, end=end, community=filters.community)
    names = selectors.communities_by_id()
    none = _("Not given")
    rows = []
    for key in sorted(set(answers) | set(followups), key=lambda k: (k is None, k or 0)):
        obj = names.get(key)
        label = content.localized(obj, "name") if obj is not None else none
        rows.append(_survey_row(label, answers.get(key), followups.get(key), least))
    rows.sort(key=lambda r: (-r["answers"], -r["followups"], str(r["label"])))
    total_answers = {"answers": sum(a["answers"] for a in answers.values())}
    for question in QUESTIONS:
        total_answers[question] = sum(a[question] for a in answers.values())
    total_followups = (sum(f[0] for f in followups.values()), sum(f[1] for f in followups.values()))
    trend = []
    if trend_quarters:
        # Two grouped queries for the whole trend, folded into its quarters here.
        first, last = trend_quarters[0], trend_quarters[-1]
        span = _bounds(first.start, last.end)
        days = survey_selectors.survey_days(
            start=first.start, end=last.end + dt.timedelta(days=1), community=filters.community
        )
        answered = feedback_selectors.followup_days(start=span[0], end=span[1], community=filters.community)
        for quarter in trend_quarters:
            a = {"answers": 0, **dict.fromkeys(QUESTIONS, 0)}
            for row in days:
                if quarter.start <= row["day"] <= quarter.end:
                    for key in a:
                        a[key] += row[key]
            f = [0, 0]
            for day, asked, resolved in answered:
                if quarter.start <= day <= quarter.end:
                    f[0] += asked
                    f[1] += resolved
            trend.append({"quarter": quarter, **_survey_row(str(quarter), a, tuple(f), least)})
    return {
        "least": least,
        "questions": list(QUESTIONS.values()),
        "rows": rows,
        "total": _survey_row(_("Total"), total_answers, total_followups, least),
        "trend": trend,
        "unit_ignored": bool(filters.unit),
        "comments_to_read": survey_selectors.comments_to_read_count(),
    }


# --- engagement requests ---------------------------------------------------------------


def request_figures(filters: Filters) -> dict:
    """Open requests now, by status and urgency; requests raised and closed in the quarter;
    days from request to first engagement of those raised in it. The unit filter does not
    apply (a request belongs to no unit); the community filter does."""
    start, end = _bounds(filters.quarter.start, filters.quarter.end)
    fig = engagement_selectors.request_figures(start=start, end=end, community=filters.community)
    urgencies = EngagementRequest.Urgency.choices
    rows = []
    for status, label in EngagementRequest.Status.choices:
        if status == EngagementRequest.Status.CLOSED:
            continue
        counts = [fig["grid"].get((status, u), 0) for u, _label in urgencies]
        rows.append({"status": status, "label": str(label), "counts": counts, "total": sum(counts)})
    totals = [sum(r["counts"][i] for r in rows) for i in range(len(urgencies))]
    return {
        **fig,
        "urgencies": [str(label) for _u, label in urgencies],
        "rows": rows,
        "totals": totals,
        "unit_ignored": bool(filters.unit),
        "url": reverse("engagement:list"),
    }


def _request_sections(filters: Filters) -> list[tuple[str, list, list]]:
    fig = request_figures(filters)
    return [
        (
            _("Open engagement requests"),
            [_("Status"), *fig["urgencies"], _("Total")],
            [[r["label"], *r["counts"], r["total"]] for r in fig["rows"]]
            + [[_("Total"), *fig["totals"], fig["open"]]],
        ),
        (
            _("Engagement requests this quarter"),
            [_("Figure"), _("Value")],
            [
                [_("Raised"), fig["raised"]],
                [_("Closed"), fig["closed"]],
                [_("Engaged"), fig["engaged"]],
                [_("Not yet engaged"), fig["not_engaged"]],
                [
                    _("Median days to first engagement"),
                    fig["median_days"] if fig["median_days"] is not None else "",
                ],
                [
                    _("Mean days to first engagement"),
                    fig["mean_days"] if fig["mean_days"] is not None else "",
                ],
            ],
        ),
    ]


# --- exports ---------------------------------------------------------------------------


def export_sections(filters: Filters) -> list[tuple[str, list, list]]:
    out = []
    events = event_figures(filters)
    if events is not None:
        out.append(
            (
                _("Outreach events held"),
                [_("Kind of event"), _("Events held"), _("Attendance")],
                [[r["label"], r["events"], r["attendance"]] for r in events["by_kind"]]
                + [[_("Total"), events["held"], events["attendance"]]],
            )
        )
        out.append(
            (
                _("Attendance by community"),
                [_("Community"), _("Attendance")],
                [[r["label"], r["attendance"]] for r in events["by_community"]],
            )
        )
    surveys = survey_figures(filters, [])
    too_few = _("too few answers to show")
    header = [_("Answers"), *[_("Agree: %(statement)s") % {"statement": q} for q in surveys["questions"]]]
    header += [_("Answers to “was it resolved?”"), _("Resolved (%)")]

    def survey_line(r):
        agree = [v if v is not None else too_few for v in r["agree"]]
        resolved = r["resolved"] if r["resolved"] is not None else too_few
        return [r["label"], r["answers"], *agree, r["followups"], resolved]

    out.append(
        (
            _("What people told us, by community"),
            [_("Community"), *header],
            [survey_line(r) for r in surveys["rows"]] + [survey_line(surveys["total"])],
        )
    )
    concerns = concern_figures(filters)
    if concerns is not None:
        header = [_("Received"), _("Resolved"), _("Median days to action taken")]
        out.append(
            (
                _("Concerns by category"),
                [_("Category"), *header],
                [
                    [r["label"], r["received"], r["resolved"], r["median_days"] or ""]
                    for r in concerns["by_category"]
                ]
                + [[_("Total"), concerns["received"], concerns["resolved"], concerns["median_days"] or ""]],
            )
        )
        out.append(
            (
                _("Concerns by community"),
                [_("Community"), *header],
                [
                    [r["label"], r["received"], r["resolved"], r["median_days"] or ""]
                    for r in concerns["by_community"]
                ],
            )
        )
        # Tracking codes, categories and ages only: never what was written or who wrote it.
        out.append(
            (
                _("Concerns with no response after %(days)s days") % {"days": concerns["stale_days"]},
                [_("Tracking code"), _("Category"), _("Community"), _("Status"), _("Days old")],
                [
                    [r["code"], r["category"], r["community"], r["status"], r["age"]]
                    for r in concerns["stale"]
                ],
            )
        )
    out += _request_sections(filters)
    return out
