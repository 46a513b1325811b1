"""Every non-trivial read of outreach events and subscribers."""

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from languages import content
from liaison.models import Liaison, PriorityCommunity

from .models import CommunityAttendance, EventAttendance, OutreachEvent, SafetyAlert, Subscriber


def _public_related(qs: QuerySet) -> QuerySet:
    return qs.prefetch_related(
        Prefetch("communities", queryset=PriorityCommunity.objects.order_by("name")),
        Prefetch("hosts", queryset=Liaison.objects.select_related("user")),
        "partners",
    )


class UpcomingEvents(Sequence):
    """Upcoming events in the order of their next occurrence, read a page at a time.

    The order needs every event's next occurrence (a monthly meeting's is not its first start),
    so it is worked out over narrow rows (start, end, recurrence, time zone) for all of them;
    the full events, with their translations, communities, hosts and partners, are read only
    for the slice asked for. A unit with a thousand upcoming meetings loads twenty."""

    NARROW = ("id", "start", "end", "recurrence", "repeat_until", "time_zone")

    def __init__(self, qs: QuerySet, now: dt.datetime):
        order = []
        for event in qs.only(*self.NARROW):
            start = event.next_occurrence(now)
            if start is not None:
                order.append((start, event.pk, event.duration))
        order.sort()
        self._order = order

    def __len__(self) -> int:
        return len(self._order)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1 if index != -1 else None][0]
        chosen = self._order[index]
        full = {
            e.pk: e
            for e in _public_related(OutreachEvent.objects.filter(pk__in=[pk for _s, pk, _d in chosen]))
        }
        events = []
        for start, pk, duration in chosen:
            event = full.get(pk)
            if event is not None:  # deleted in between
                event.next_start, event.next_end = start, start + duration
                events.append(event)
        return events


def upcoming_events(
    *,
    community: PriorityCommunity | None = None,
    language: str | None = None,
    now: dt.datetime | None = None,
) -> UpcomingEvents:
    """Published (and recently cancelled) events still to come, soonest first, each with
    `next_start` and `next_end` set for its next occurrence (a sequence: slice it)."""
    now = now or timezone.now()
    qs = OutreachEvent.objects.public().not_over(now)
    if community is not None:
        qs = qs.filter(communities=community)
    if language:
        # A JSON list of codes; the quotes make "ar" match "ar" and never "kar".
        qs = qs.filter(interpretation_languages__icontains=f'"{language}"')
    return UpcomingEvents(qs.distinct(), now)


def public_event(pk: int) -> OutreachEvent | None:
    return _public_related(OutreachEvent.objects.public().filter(pk=pk)).first()


def community_by_slug(slug: str) -> PriorityCommunity | None:
    return PriorityCommunity.objects.filter(slug=slug).first()


def calendar_events(
    *,
    community: PriorityCommunity | None = None,
    event_id: int | None = None,
    now: dt.datetime | None = None,
) -> QuerySet:
    """What the iCalendar feed carries: public events from the last 90 days on."""
    now = now or timezone.now()
    qs = OutreachEvent.objects.public().not_over(now - dt.timedelta(days=90))
    if community is not None:
        qs = qs.filter(communities=community)
    if event_id is not None:
        qs = qs.filter(pk=event_id)
    return qs.distinct().order_by("start")


def interpretation_languages_offered(now: dt.datetime | None = None) -> list[str]:
    codes: set[str] = set()
    for langs in (
        OutreachEvent.objects.public().not_over(now).values_list("interpretation_languages", flat=True)
    ):
        codes.update(langs or [])
    return sorted(codes)


def staff_events(*, user) -> QuerySet:
    return (
        OutreachEvent.objects.all()
        .prefetch_related("communities", Prefetch("hosts", queryset=Liaison.objects.select_related("user")))
        .annotate(attended=Sum("attendance__total"))
        .order_by("-start")
    )


# --- For the commanders' dashboard (dashboard/outcomes.py reads events only through these) ---


def attendance_held(
    *, start: dt.date, end: dt.date, community: PriorityCommunity | None = None, unit: str = ""
) -> QuerySet:
    """Recorded attendance of occurrences dated start..end (cancelled events excluded), one
    row per occurrence even when several hosts or communities match."""
    qs = EventAttendance.objects.filter(date__gte=start, date__lte=end).exclude(
        event__status=OutreachEvent.Status.CANCELLED
    )
    if community is not None:
        qs = qs.filter(event__communities=community)
    if unit:
        qs = qs.filter(event__hosts__unit=unit)
    if community is not None or unit:
        qs = EventAttendance.objects.filter(pk__in=qs.values("pk"))
    return qs


def attendance_by_kind(held: QuerySet) -> list[dict]:
    """[{"label", "events", "attendance"}] per kind of event, most held first."""
    kinds = dict(OutreachEvent.Kind.choices)
    return [
        {"label": str(kinds.get(k, k)), "events": n, "attendance": total or 0}
        for k, n, total in held.values("event__kind")
        .annotate(n=Count("id"), total=Sum("total"))
        .order_by("-n", "event__kind")
        .values_list("event__kind", "n", "total")
    ]


def attendance_by_community(held: QuerySet, community: PriorityCommunity | None = None) -> list[dict]:
    """[{"label": Localized name, "attendance"}] per community, most attended first."""
    per_community = CommunityAttendance.objects.filter(attendance__in=held.values("pk"))
    if community is not None:
        per_community = per_community.filter(community=community)
    names = content.read_columns("name", "community", PriorityCommunity)
    return [
        {"label": content.localized_value(row, "community__name"), "attendance": row["total"]}
        for row in per_community.values("community", *names).annotate(total=Sum("count")).order_by("-total")
    ]


def sms_subscriber_language(phone: str) -> str | None:
    """The language a number subscribed to text notices in (its SMS replies answer in it)."""
    return (
        Subscriber.objects.filter(channel=Subscriber.Channel.SMS, phone=phone)
        .values_list("language", flat=True)
        .first()
    )


# --- Safety alerts ------------------------------------------------------------------------


def _alert_related(qs: QuerySet) -> QuerySet:
    return qs.prefetch_related(Prefetch("communities", queryset=PriorityCommunity.objects.order_by("name")))


def current_alerts(*, community: PriorityCommunity | None = None) -> QuerySet:
    """Sent alerts still shown (show_until not past), newest first."""
    qs = SafetyAlert.objects.current()
    if community is not None:
        # An alert for everyone (no community) concerns that community too.
        qs = qs.filter(Q(communities=community) | Q(communities__isnull=True)).distinct()
    return _alert_related(qs.order_by("-sent_at", "-pk"))


def public_alert(pk: int) -> SafetyAlert | None:
    """A sent alert, shown even after its show_until (a link in an old message still opens)."""
    return _alert_related(SafetyAlert.objects.public().filter(pk=pk)).first()


def staff_alerts(*, status: str | None = None) -> QuerySet:
    qs = SafetyAlert.objects.select_related("drafted_by", "approved_by")
    if status:
        qs = qs.filter(status=status)
    return _alert_related(qs.order_by("-updated_at", "-pk"))


def staff_alert(pk: int) -> SafetyAlert | None:
    """One alert of any status, for the staff pages (its communities and drafter with it)."""
    return _alert_related(SafetyAlert.objects.select_related("drafted_by").filter(pk=pk)).first()
