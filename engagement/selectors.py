"""Reads of engagement requests: who sees which, the detail page's request with its history
and links, the liaisons to suggest, and the dashboard's figures."""

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import selectors as liaison_selectors
from liaison.languages import language_name
from liaison.models import Assignment, Contact, LanguageSkill, Liaison, PriorityCommunity
from outreach.models import OutreachEvent, SafetyAlert

from .models import EngagementRequest, RequestStep

Status = EngagementRequest.Status
OPEN = [Status.REQUESTED, Status.ASSIGNED, Status.ENGAGED, Status.FOLLOW_UP]


def _list_related(qs: QuerySet) -> QuerySet:
    return qs.select_related("requested_by").prefetch_related(
        Prefetch("communities", queryset=PriorityCommunity.objects.order_by("name")),
        Prefetch("liaisons", queryset=Liaison.objects.select_related("user")),
    )


def liaison_of(actor) -> Liaison | None:
    """The actor's liaison profile, looked up once per request-response (kept on the user)."""
    if not hasattr(actor, "_engagement_liaison"):
        actor._engagement_liaison = liaison_selectors.liaison_for_user(actor)
    return actor._engagement_liaison


def requests_visible_to(user, *, status: str | None = None) -> QuerySet:
    """Every request for commanders and coordinators; a liaison's own (assigned) otherwise;
    nothing for anyone else. `status` "open" keeps the open ones, a status keeps that one."""
    if user.has_perm("engagement.view_all_requests"):
        qs = EngagementRequest.objects.all()
    else:
        liaison = liaison_of(user)
        if liaison is None:
            return EngagementRequest.objects.none()
        qs = EngagementRequest.objects.filter(liaisons=liaison)
    if status == "open":
        qs = qs.filter(status__in=OPEN)
    elif status in Status.values:
        qs = qs.filter(status=status)
    return _list_related(qs).order_by("urgency", "-requested_at", "-pk")


def request_for(user, pk: int) -> EngagementRequest:
    """The request with its history and links, if `user` may see it; else DoesNotExist (a
    liaison must not learn that other requests exist). A fixed number of queries."""
    qs = requests_visible_to(user).prefetch_related(
        Prefetch("steps", queryset=RequestStep.objects.select_related("by").order_by("at", "id")),
        Prefetch(
            "contacts",
            queryset=Contact.objects.select_related("liaison__user")
            .prefetch_related("communities")
            .order_by("date", "id"),
        ),
        Prefetch("events", queryset=OutreachEvent.objects.order_by("start", "id")),
        Prefetch("alerts", queryset=SafetyAlert.objects.order_by("sent_at", "id")),
    )
    return qs.get(pk=pk)


def language_names(request: EngagementRequest) -> list[str]:
    return [language_name(code) for code in request.languages]


# --- Suggestions ---------------------------------------------------------------------------


@dataclass
class Suggestion:
    liaison: Liaison
    languages: list[tuple[str, str]] = field(default_factory=list)  # (language name, proficiency)
    best_proficiency: int | None = None
    communities: list[PriorityCommunity] = field(default_factory=list)
    open_requests: int = 0
    reasons: list[str] = field(default_factory=list)

    @property
    def suggested(self) -> bool:
        return bool(self.languages or self.communities)


def liaison_suggestions(request: EngagementRequest, day: dt.date | None = None) -> list[Suggestion]:
    """Every active liaison, best first: who speaks a needed language (the better they speak
    it, the higher), then who is assigned to a concerned community now, then who carries the
    fewest open requests. Each says why. Three queries, whatever the number of liaisons."""
    day = day or timezone.localdate()
    needed = list(request.languages)
    community_ids = [c.pk for c in request.communities.all()]
    liaisons = list(
        Liaison.objects.filter(is_active=True)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "languages",
                queryset=LanguageSkill.objects.filter(language__in=needed).order_by("proficiency"),
                to_attr="needed_skills",
            ),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.current_on(day)
                .filter(community_id__in=community_ids)
                .select_related("community"),
                to_attr="concerned_assignments",
            ),
        )
        .annotate(
            open_requests=Count(
                "engagement_requests",
                filter=Q(engagement_requests__status__in=OPEN) & ~Q(engagement_requests__pk=request.pk),
                distinct=True,
            )
        )
    )
    out = []
    for lz in liaisons:
        s = Suggestion(liaison=lz, open_requests=lz.open_requests)
        for skill in lz.needed_skills:
            s.languages.append((language_name(skill.language), skill.get_proficiency_display()))
        s.best_proficiency = lz.needed_skills[0].proficiency if lz.needed_skills else None
        s.communities = [a.community for a in lz.concerned_assignments]
        for name, level in s.languages:
            s.reasons.append(
                _("Speaks %(language)s (%(level)s)") % {"language": name, "level": level.lower()}
            )
        for community in s.communities:
            s.reasons.append(_("Assigned to %(community)s") % {"community": community})
        if lz.open_requests:
            s.reasons.append(_("Carries %(n)s other open request(s)") % {"n": lz.open_requests})
        else:
            s.reasons.append(_("No other open request"))
        out.append(s)
    out.sort(
        key=lambda s: (
            s.best_proficiency is None,
            s.best_proficiency or 99,
            not s.communities,
            s.open_requests,
            s.liaison.display_name,
        )
    )
    return out


# --- What can be linked --------------------------------------------------------------------


def linkable_contacts(request: EngagementRequest, *, since_days: int = 180) -> QuerySet:
    """The assigned liaisons' recent contacts with the concerned communities."""
    since = timezone.localdate() - dt.timedelta(days=since_days)
    return (
        Contact.objects.filter(
            liaison__in=request.liaisons.all(),
            communities__in=request.communities.all(),
            date__gte=since,
        )
        .exclude(pk__in=request.contacts.values("pk"))
        .distinct()
        .select_related("liaison__user")
        .order_by("-date", "-id")[:50]
    )


def linkable_events(request: EngagementRequest, *, since_days: int = 180) -> QuerySet:
    since = timezone.now() - dt.timedelta(days=since_days)
    return (
        OutreachEvent.objects.filter(communities__in=request.communities.all(), start__gte=since)
        .exclude(status="draft")
        .exclude(pk__in=request.events.values("pk"))
        .distinct()
        .order_by("-start", "-id")[:50]
    )


def linkable_alerts(request: EngagementRequest, *, since_days: int = 365) -> QuerySet:
    since = timezone.now() - dt.timedelta(days=since_days)
    return (
        SafetyAlert.objects.filter(status=SafetyAlert.Status.SENT, sent_at__gte=since)
        .exclude(pk__in=request.alerts.values("pk"))
        .order_by("-sent_at", "-id")[:50]
    )


# --- Dashboard -----------------------------------------------------------------------------


def request_figures(
    *, start: dt.datetime, end: dt.datetime, community: PriorityCommunity | None = None
) -> dict:
    """Open requests now by status and urgency, requests raised and closed in [start, end),
    and the days from request to first engagement of those raised in it: counted from the
    rows themselves (two queries; requests are counted in hundreds)."""
    qs = EngagementRequest.objects.all()
    if community is not None:
        qs = qs.filter(communities=community)
    open_rows = list(
        qs.filter(status__in=OPEN).values("status", "urgency").annotate(n=Count("pk", distinct=True))
    )
    grid = {(r["status"], r["urgency"]): r["n"] for r in open_rows}
    period = list(
        qs.filter(
            Q(requested_at__gte=start, requested_at__lt=end) | Q(closed_at__gte=start, closed_at__lt=end)
        )
        .distinct()
        .values_list("requested_at", "first_engaged_at", "closed_at")
    )
    raised = [(r, f) for r, f, _c in period if start <= r < end]
    closed = sum(1 for _r, _f, c in period if c is not None and start <= c < end)
    days = [(f - r).total_seconds() / 86400 for r, f in raised if f is not None]
    return {
        "grid": grid,
        "open": sum(grid.values()),
        "raised": len(raised),
        "closed": closed,
        "engaged": len(days),
        "not_engaged": len(raised) - len(days),
        "median_days": round(statistics.median(days), 1) if days else None,
        "mean_days": round(statistics.fmean(days), 1) if days else None,
    }
