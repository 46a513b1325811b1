"""Every non-trivial read of community concerns: one place to keep each query fast."""

import datetime as dt

from django.db.models import Prefetch, QuerySet
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
