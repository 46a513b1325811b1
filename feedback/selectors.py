"""Every non-trivial read of community concerns: one place to keep each query fast."""

import datetime as dt

from django.db.models import Min, Prefetch, Q, QuerySet
from django.utils import timezone

from languages import content
from liaison.models import Liaison, PriorityCommunity
from liaison.quarters import Quarter
from messaging import selectors as messaging_selectors

from . import codes
from .models import Concern, ConcernCategory, InternalNote, StatusChange
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
        Concern.objects.select_related("category", "community", "assignee__user")
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


def _dashboard_scope(*, community: PriorityCommunity | None, unit: str) -> QuerySet:
    qs = Concern.objects.all()
    if community is not None:
        qs = qs.filter(community=community)
    if unit:
        qs = qs.filter(assignee__unit=unit)
    return qs


def _name_columns(relation: str) -> list[str]:
    return content.read_columns("name", relation, Concern._meta.get_field(relation).related_model)


def concern_outcome_rows(
    *, start: dt.datetime, end: dt.datetime, community: PriorityCommunity | None = None, unit: str = ""
) -> QuerySet:
    """One row (values) per concern that counts in [start, end) under any measure: received
    then, first resolved (action taken or closed) then, or first reached action taken then;
    with its category's and community's names in every language (content.localized_value)."""
    S = Concern.Status
    qs = _dashboard_scope(community=community, unit=unit).annotate(
        first_action=Min("history__created_at", filter=Q(history__to_status=S.ACTION_TAKEN)),
        first_resolved=Min(
            "history__created_at", filter=Q(history__to_status__in=[S.ACTION_TAKEN, S.CLOSED])
        ),
    )
    return qs.filter(
        Q(created_at__gte=start, created_at__lt=end)
        | Q(first_resolved__gte=start, first_resolved__lt=end)
        | Q(first_action__gte=start, first_action__lt=end)
    ).values(
        "category",
        "community",
        "created_at",
        "first_action",
        "first_resolved",
        *_name_columns("category"),
        *_name_columns("community"),
    )


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
