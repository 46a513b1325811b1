"""Every non-trivial read of the liaison records: one place to keep each query fast."""

import datetime as dt

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from languages import content

from .models import Assignment, Contact, LanguageSkill, Liaison, Partner, PriorityCommunity, QuarterlyTarget
from .quarters import Quarter


def liaison_for_user(user) -> Liaison | None:
    if not user.is_authenticated:
        return None
    return Liaison.objects.filter(user=user).select_related("user").first()


def current_community_ids(liaison: Liaison, day: dt.date | None = None) -> list[int]:
    day = day or timezone.localdate()
    return list(
        Assignment.objects.current_on(day).filter(liaison=liaison).values_list("community_id", flat=True)
    )


def communities_for_logging(liaison: Liaison | None, day: dt.date | None = None) -> QuerySet:
    """Communities a contact may be logged for, the liaison's current ones first."""
    day = day or timezone.localdate()
    recent = Q(active_until__isnull=True) | Q(active_until__gte=day - dt.timedelta(days=90))
    qs = PriorityCommunity.objects.filter(recent, active_from__lte=day)
    mine = current_community_ids(liaison, day) if liaison else []
    return qs.annotate(
        mine=Case(When(id__in=mine, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("mine", "name")


def meetings_on(liaison: Liaison | None, day: dt.date) -> list[Partner]:
    """Partners whose regular meeting (a precinct community council, a public safety
    association) falls on `day` and who serve one of the liaison's current communities; all of
    them for someone with no assignment. Earliest first. Two queries."""
    qs = Partner.objects.filter(is_active=True, meeting_weekday=day.weekday(), meeting_week__isnull=False)
    mine = current_community_ids(liaison, day) if liaison else []
    if mine:
        qs = qs.filter(communities__in=mine).distinct()
    return [p for p in qs.order_by("meeting_time", "name") if p.meets_on(day)]


PUBLIC_MEETING_KINDS = (Partner.Kind.COUNCIL, Partner.Kind.SAFETY_ASSOCIATION)


def public_regular_meetings(
    *, community: PriorityCommunity | None = None, day: dt.date | None = None
) -> list:
    """Councils and public safety associations that meet on a schedule, for the public
    meetings page: (partner, next meeting day), soonest first. One query. Other partners'
    meetings (a congregation's, a school's) are theirs to announce, never listed."""
    day = day or timezone.localdate()
    qs = Partner.objects.filter(is_active=True, kind__in=PUBLIC_MEETING_KINDS, meeting_week__isnull=False)
    if community is not None:
        qs = qs.filter(communities=community)
    found = [(p, p.next_meeting(day)) for p in qs.order_by("name")]
    return sorted((pair for pair in found if pair[1]), key=lambda pair: (pair[1], pair[0].meeting_time))


def partner_for_logging(pk) -> Partner | None:
    """An active partner picked by a link (?partner=<id>); anything else is no partner."""
    try:
        return Partner.objects.filter(pk=int(pk), is_active=True).prefetch_related("communities").first()
    except (TypeError, ValueError, OverflowError):
        return None


def liaison_languages(liaison: Liaison | None) -> list[str]:
    if not liaison:
        return []
    return list(liaison.languages.values_list("language", flat=True))


def last_contact(liaison: Liaison | None) -> Contact | None:
    if not liaison:
        return None
    return liaison.contacts.order_by("-created_at").only("language", "kind").first()


def last_language_by_community(liaison: Liaison | None, recent: int = 200) -> dict[int, str]:
    """The language this liaison last used with each community, from their latest contacts
    (one query over the `recent` newest): the contact log defaults to it."""
    if not liaison:
        return {}
    rows = (
        Contact.communities.through.objects.filter(contact__liaison=liaison)
        .order_by("-contact__created_at", "-contact_id")
        .values_list("prioritycommunity_id", "contact__language")[:recent]
    )
    last: dict[int, str] = {}
    for community_id, language in rows:
        last.setdefault(community_id, language)
    return last


def contacts_visible_to(user) -> QuerySet:
    qs = Contact.objects.all()
    if user.has_perm("liaison.view_all_contacts"):
        return qs
    return qs.filter(liaison__user=user)


def contact_list(
    *,
    user,
    quarter: Quarter | None = None,
    community: PriorityCommunity | None = None,
    kind: str | None = None,
    liaison: Liaison | None = None,
    language: str | None = None,
    unit: str | None = None,
    interpreter: bool | None = None,
) -> QuerySet:
    qs = contacts_visible_to(user)
    if quarter:
        qs = qs.filter(date__gte=quarter.start, date__lte=quarter.end)
    if community:
        qs = qs.filter(communities=community)
    if kind:
        qs = qs.filter(kind=kind)
    if liaison:
        qs = qs.filter(liaison=liaison)
    if language:
        qs = qs.filter(language=language)
    if unit:
        qs = qs.filter(liaison__unit=unit)
    if interpreter is not None:
        qs = qs.filter(interpreter_used=interpreter)
    return (
        qs.select_related("liaison__user", "partner")
        .prefetch_related("communities", "topics")
        .order_by("-date", "-id")
    )


def target_for(liaison: Liaison) -> int:
    rows = dict(
        QuarterlyTarget.objects.filter(Q(liaison=liaison) | Q(liaison__isnull=True)).values_list(
            "liaison_id", "contacts"
        )
    )
    if liaison.pk in rows:
        return rows[liaison.pk]
    return rows.get(None, settings.BRIDGE_DEFAULT_QUARTERLY_TARGET)


def quarter_progress(liaison: Liaison, quarter: Quarter | None = None) -> dict:
    """ "My quarter": a liaison's contacts and people reached against target."""
    quarter = quarter or Quarter.current()
    figures = liaison.contacts.filter(date__gte=quarter.start, date__lte=quarter.end).aggregate(
        contacts=Count("id"), people=Sum("people_reached")
    )
    target = target_for(liaison)
    done = figures["contacts"]
    return {
        "quarter": quarter,
        "contacts": done,
        "people": figures["people"] or 0,
        "target": target,
        "percent": min(100, round(100 * done / target)) if target else 100,
    }


def directory(*, language: str | None = None, community: PriorityCommunity | None = None) -> QuerySet:
    """Active liaisons for the public directory: public fields only."""
    today = timezone.localdate()
    qs = Liaison.objects.filter(is_active=True)
    if language:
        qs = qs.filter(languages__language=language)
    if community:
        qs = qs.filter(assignments__in=Assignment.objects.current_on(today).filter(community=community))
    return (
        qs.distinct()
        .select_related("user")
        .prefetch_related(
            Prefetch("languages", queryset=LanguageSkill.objects.order_by("proficiency", "language")),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.current_on(today).select_related("community"),
                to_attr="current_assignments",
            ),
        )
        .only(
            "id",
            "kind",
            "unit",
            "public_phone",
            "public_email",
            "bio",
            "photo",
            "user__first_name",
            "user__last_name",
            "user__username",
            *_bio_fields(),
        )
    )


def _bio_fields() -> list[str]:
    return content.columns("bio")


def directory_languages() -> list[str]:
    return list(
        LanguageSkill.objects.filter(liaison__is_active=True).values_list("language", flat=True).distinct()
    )


def active_communities(day: dt.date | None = None) -> QuerySet:
    return PriorityCommunity.objects.active_on(day or timezone.localdate())
