"""Every non-trivial read of community concerns: one place to keep each query fast."""

import datetime as dt
import statistics

from django.db import connection
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncDate
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils import timezone

from agencies import context as agency_context
from languages import content
from liaison.languages import language_name
from liaison.models import Liaison, PriorityCommunity
from liaison.quarters import Quarter
from messaging import selectors as messaging_selectors

from . import codes
from .models import Concern, ConcernCategory, FollowUp, InternalNote, PublishedComment, StatusChange
from .services import response_in

# Filter values of the queue's status filter beyond the statuses themselves.
OPEN = "open"
UNASSIGNED = "none"


def concern_by_code(text: str | None) -> Concern | None:
    """The concern a typed code names (any case, hyphens or spaces), or None."""
    code = codes.normalise(text)
    if code is None:
        return None
    return Concern.objects.select_related("category").filter(code=code).first()


def categories() -> QuerySet:
    return ConcernCategory.objects.filter(is_active=True)


def communities() -> QuerySet:
    return PriorityCommunity.objects.active_on(timezone.localdate())


def assignable_liaisons() -> QuerySet:
    return Liaison.objects.filter(is_active=True).select_related("user")


def concern_queue_for(
    *,
    user,
    status: str | None = OPEN,
    category: ConcernCategory | None = None,
    community: PriorityCommunity | None = None,
    assignee: str | None = None,
    older_than_days: int | None = None,
) -> QuerySet:
    """The triage queue: oldest open concerns first, filtered. `assignee` is a liaison id,
    "none" for unassigned, or None for everyone."""
    qs = Concern.objects.all()
    if status == OPEN:
        qs = qs.filter(status__in=Concern.OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if community:
        qs = qs.filter(community=community)
    if assignee == UNASSIGNED:
        qs = qs.filter(assignee__isnull=True)
    elif assignee:
        qs = qs.filter(assignee_id=assignee)
    if older_than_days:
        qs = qs.filter(created_at__lte=timezone.now() - dt.timedelta(days=older_than_days))
    order = ["created_at", "id"] if status == OPEN else ["-created_at", "-id"]
    return qs.select_related("category", "community", "assignee__user").order_by(*order)


def concern_for_staff(pk: int) -> Concern:
    return (
        Concern.objects.select_related("category", "community", "assignee__user", "followup")
        .prefetch_related(
            Prefetch("history", queryset=StatusChange.objects.select_related("actor")),
            Prefetch("notes", queryset=InternalNote.objects.select_related("author")),
        )
        .get(pk=pk)
    )


def concern_answers(concern: Concern, *, with_address: bool) -> list:
    """Where the messages sent to the submitter are (queued, sent, failed...), from the outbox."""
    return messaging_selectors.deliveries(key_prefix=f"concern:{concern.pk}:", with_address=with_address)


def public_status(concern: Concern, language: str) -> dict:
    """What the status page may show: status, dates and the public response, no personal
    data. The response is in the submitter's language, else another one, marked as such."""
    response, response_language = response_in(concern, concern.language)
    return {
        "code": concern.code_display,
        "category": content.localized(concern.category, "name", language),
        "status": concern.status,
        "status_display": concern.get_status_display(),
        "received": concern.created_at,
        "updated": concern.updated_at,
        "closed": concern.closed_at,
        "reason": concern.not_actionable_reason if concern.status == Concern.Status.NOT_ACTIONABLE else "",
        "response": response,
        "response_language": response_language,
        "response_is_fallback": bool(response) and response_language != concern.language,
        "submitter_language": concern.language,
    }


def you_said_we_did(language: str) -> QuerySet:
    """Published actions, newest first, with what the list page needs in one query."""
    return (
        Concern.objects.filter(published=True)
        .select_related("community", "category")
        .only(
            "id",
            "status",
            "published_at",
            "closed_at",
            "created_at",
            "community__id",
            "community__slug",
            *content.read_columns("name", "community", Concern._meta.get_field("community").related_model),
            "category__id",
            *content.read_columns("name", "category", Concern._meta.get_field("category").related_model),
            *content.columns("public_summary"),
            "public_summary",
        )
        .order_by("-published_at", "-id")
    )


def followup_by_token(token: str) -> FollowUp | None:
    if not token or len(token) > 64:
        return None
    return FollowUp.objects.select_related("concern__category").filter(token=token).first()


def published_comments(language: str, *, limit: int = 20) -> list[dict]:
    """The newest comments published after a coordinator's edit, for "You said, we did":
    the text in the language it was written in, named in the reader's."""
    rows = PublishedComment.objects.select_related("community").order_by("-published_at", "-id")[:limit]
    return [
        {
            "text": c.text,
            "language": c.language,
            "language_name": language_name(c.language),
            "community": content.localized(c.community, "name", language) if c.community is not None else "",
        }
        for c in rows
    ]


def followup_rates(
    *, start: dt.datetime, end: dt.datetime, community: PriorityCommunity | None = None
) -> dict:
    """ "Was it resolved?" answers given in [start, end): {community id (or None): (answers,
    resolved)}."""
    qs = FollowUp.objects.filter(answered_at__gte=start, answered_at__lt=end)
    if community is not None:
        qs = qs.filter(concern__community=community)
    rows = (
        qs.order_by()
        .values("concern__community")
        .annotate(answers=Count("pk"), resolved=Count("pk", filter=Q(resolved=True)))
    )
    return {r["concern__community"]: (r["answers"], r["resolved"]) for r in rows}


def followup_days(
    *, start: dt.datetime, end: dt.datetime, community: PriorityCommunity | None = None
) -> list[tuple[dt.date, int, int]]:
    """ "Was it resolved?" answers per local day in [start, end), one grouped query (a trend
    folds them into quarters): [(day, answers, resolved)]."""
    qs = FollowUp.objects.filter(answered_at__gte=start, answered_at__lt=end)
    if community is not None:
        qs = qs.filter(concern__community=community)
    rows = (
        qs.annotate(day=TruncDate("answered_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("day")
        .annotate(answers=Count("pk"), resolved=Count("pk", filter=Q(resolved=True)))
    )
    return [(r["day"], r["answers"], r["resolved"]) for r in rows]


def published_item(concern: Concern, language: str) -> dict:
    summary, summary_language = response_in(concern, language, field="public_summary")
    # The quarter in which the action was taken (or, for an old row, when it was published).
    moment = concern.closed_at or concern.published_at
    when = timezone.localtime(moment).date() if moment else None
    return {
        "summary": summary,
        "summary_language": summary_language,
        "is_fallback": summary_language != language,
        "community": content.localized(concern.community, "name", language) if concern.community else "",
        "category": content.localized(concern.category, "name", language),
        "quarter": Quarter.containing(when) if when else None,
    }


# --- For the commanders' dashboard (dashboard/outcomes.py reads concerns only through these) ---


def _dashboard_scope(*, community: PriorityCommunity | None, unit: str, agencies=None) -> QuerySet:
    # agencies: the regional view's sharing agencies; otherwise the agency worked for.
    qs = Concern.objects.all() if agencies is None else Concern.all_agencies.filter(agency_id__in=agencies)
    if community is not None:
        qs = qs.filter(community=community)
    if unit:
        qs = qs.filter(assignee__unit=unit)
    return qs


def _name_columns(relation: str) -> list[str]:
    return content.read_columns("name", relation, Concern._meta.get_field(relation).related_model)


def categories_by_id() -> dict:
    """Every concern category (a unit has a dozen or so), with its names, by id."""
    return {c.pk: c for c in ConcernCategory.objects.all()}


def concern_outcome_groups(
    *,
    start: dt.datetime,
    end: dt.datetime,
    by: str | None,
    community: PriorityCommunity | None = None,
    unit: str = "",
    agencies: tuple[int, ...] | None = None,
    with_total: bool = False,
) -> list[dict]:
    """The dashboard's concern figures for [start, end), counted by the database: per
    `by` ("category", "community" or "agency"; None for one total row), concerns received then,
    first resolved (action taken or closed) then, and the median time from submission to
    first "action taken" among those that reached it then. Rows: {"key": id or None,
    "received", "resolved", "median": timedelta or None}.

    With `with_total`, the groups then one more row, {"key": None, "total": True, ...}, for
    all of them (the regional view: per agency and summed, one scan of the history).

    On PostgreSQL one statement per call (_concern_outcome_groups_sql)."""
    if connection.vendor == "postgresql":
        return _concern_outcome_groups_sql(
            start=start,
            end=end,
            by=by,
            community=community,
            unit=unit,
            agencies=agencies,
            with_total=with_total,
        )
    if with_total and by is not None:
        scope = {"start": start, "end": end, "community": community, "unit": unit, "agencies": agencies}
        (total,) = concern_outcome_groups(by=None, **scope)
        return [*concern_outcome_groups(by=by, **scope), {**total, "total": True}]
    # Elsewhere (the SQLite first run, a few concerns): the same with subqueries, and the
    # median taken here.
    S = Concern.Status

    def first(**reached):
        # Unscoped: the outer concern is already the agency's (or, regionally, a sharing agency's).
        moments = StatusChange.all_agencies.filter(concern=OuterRef("pk"), **reached).order_by("created_at")
        return Subquery(moments.values("created_at")[:1])

    first_action = first(to_status=S.ACTION_TAKEN)
    first_resolved = first(to_status__in=[S.ACTION_TAKEN, S.CLOSED])

    def within(moment) -> Q:
        return Q(GreaterThanOrEqual(moment, start), LessThan(moment, end))

    received = Q(created_at__gte=start, created_at__lt=end)
    resolved = within(first_resolved)
    acted = within(first_action)
    qs = _dashboard_scope(community=community, unit=unit, agencies=agencies).filter(
        received | resolved | acted
    )
    days = ExpressionWrapper(first_action - F("created_at"), output_field=DurationField())
    figures = {"received": Count("pk", filter=received), "resolved": Count("pk", filter=resolved)}
    if by is None:
        rows = [{"key": None, **qs.aggregate(**figures)}]
    else:
        rows = [{"key": r.pop(by), **r} for r in qs.order_by().values(by).annotate(**figures)]
    spans: dict = {}
    for key, span in qs.filter(acted).annotate(days=days).values_list(by or "pk", "days"):
        spans.setdefault(key if by else None, []).append(span)
    for row in rows:
        found = spans.get(row["key"])
        row["median"] = statistics.median(found) if found else None
    return rows


def _concern_outcome_groups_sql(*, start, end, by, community, unit, agencies, with_total=False) -> list[dict]:
    """concern_outcome_groups on PostgreSQL in one statement: each concern's first moments
    from one grouped scan of the history, joined once, counted and medianed per group."""
    S = Concern.Status
    concern, history, liaison = Concern._meta.db_table, StatusChange._meta.db_table, Liaison._meta.db_table
    key = {
        "category": "c.category_id",
        "community": "c.community_id",
        "agency": "c.agency_id",
        None: "NULL::bigint",
    }[by]
    where, scope = ["TRUE"], []
    if agencies is None and agency_context.current_id() is not None:
        agencies = (agency_context.current_id(),)
    history_where, history_scope = "TRUE", []
    if agencies is not None:
        marks = ", ".join(["%s"] * len(agencies)) or "NULL"
        where.append(f"c.agency_id IN ({marks})")
        scope.extend(agencies)
        history_where, history_scope = f"agency_id IN ({marks})", list(agencies)
    if community is not None:
        where.append("c.community_id = %s")
        scope.append(community.pk)
    if unit:
        where.append(f"c.assignee_id IN (SELECT id FROM {liaison} WHERE unit = %s)")  # noqa: S608
        scope.append(unit)
    sql = f"""
    WITH firsts AS (
      SELECT concern_id,
             MIN(created_at) FILTER (WHERE to_status = %s) AS acted,
             MIN(created_at) FILTER (WHERE to_status IN (%s, %s)) AS resolved
      FROM {history} WHERE {history_where} GROUP BY concern_id
    ), counted AS (
      SELECT {key} AS key, c.created_at, f.acted,
             (c.created_at >= %s AND c.created_at < %s) AS is_received,
             coalesce(f.resolved >= %s AND f.resolved < %s, FALSE) AS is_resolved,
             coalesce(f.acted >= %s AND f.acted < %s, FALSE) AS is_acted
      FROM {concern} c LEFT JOIN firsts f ON f.concern_id = c.id
      WHERE {" AND ".join(where)}
    )
    SELECT key, GROUPING(key) = 1, COUNT(*) FILTER (WHERE is_received), COUNT(*) FILTER (WHERE is_resolved),
           PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY acted - created_at) FILTER (WHERE is_acted)
    FROM counted WHERE is_received OR is_resolved OR is_acted
    GROUP BY {"GROUPING SETS ((key), ())" if with_total and by is not None else "key"}
    """  # noqa: S608 - table names from the models; every value is a parameter
    params = [S.ACTION_TAKEN, S.ACTION_TAKEN, S.CLOSED, *history_scope, *[start, end] * 3, *scope]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        found = [
            {"key": k, "received": r, "resolved": d, "median": m, **({"total": True} if t else {})}
            for k, t, r, d, m in cur.fetchall()
        ]
    if with_total and by is not None and not any(row.get("total") for row in found):
        found.append({"key": None, "received": 0, "resolved": 0, "median": None, "total": True})
    if by is None and not found:
        return [{"key": None, "received": 0, "resolved": 0, "median": None}]
    return found


def no_public_response() -> Q:
    """No public response in any language (they are stored one column per language)."""
    q = Q()
    for column in content.columns("public_response"):
        q &= Q(**{f"{column}__isnull": True}) | Q(**{column: ""})
    return q


def concerns_without_response(
    *, older_than: dt.datetime, community: PriorityCommunity | None = None, unit: str = ""
) -> QuerySet:
    """Received or in review, no public response, submitted before `older_than`; oldest first."""
    S = Concern.Status
    return (
        _dashboard_scope(community=community, unit=unit)
        .filter(no_public_response(), status__in=[S.RECEIVED, S.IN_REVIEW], created_at__lt=older_than)
        .select_related("category", "community")
        .only("id", "code", "status", "created_at", *_name_columns("category"), *_name_columns("community"))
        .order_by("created_at", "id")
    )
