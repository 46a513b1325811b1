"""Demo engagement requests: the Brooklyn-like one (a robbery pattern in a building where many
residents speak Chinese), assigned to the demo's Chinese-speaking liaison, engaged, with a
contact and a meeting linked; and one open request nobody is assigned to yet.
Idempotent: a second run finds the requests by subject and adds nothing."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from liaison import services as liaison_services
from liaison.models import Liaison, PriorityCommunity
from outreach.models import OutreachEvent

from . import services
from .models import EngagementRequest

BUILDING = "Robberies in the lobby and mail room of 40 Murray Avenue"
SCHOOL = "Parents at Allderdice High School worried about phone scams"


@transaction.atomic
def seed(*, users: dict) -> list[EngagementRequest]:
    commander, coordinator = users.get("commander"), users.get("coordinator")
    if commander is None or coordinator is None:
        return []
    made = []
    east_asian = PriorityCommunity.objects.filter(slug="east-asian").first()
    if east_asian is not None and not EngagementRequest.objects.filter(subject=BUILDING).exists():
        made.append(_building(commander, coordinator, east_asian))
    latino = PriorityCommunity.objects.filter(slug="latino").first()
    if latino is not None and not EngagementRequest.objects.filter(subject=SCHOOL).exists():
        made.append(
            services.request_raise(
                actor=commander,
                kind=EngagementRequest.Kind.SCHOOL,
                subject=SCHOOL,
                communities=[latino],
                languages=["es"],
                urgency=EngagementRequest.Urgency.SOON,
                place="Allderdice High School",
                details="Several families received calls from fake immigration lawyers asking for money.",
            )
        )
    return made


def _building(commander, coordinator, community) -> EngagementRequest:
    request = services.request_raise(
        actor=commander,
        kind=EngagementRequest.Kind.CRIME_PATTERN,
        subject=BUILDING,
        communities=[community],
        languages=["zh"],
        urgency=EngagementRequest.Urgency.URGENT,
        place="40 Murray Avenue",
        details=(
            "Five robberies in six weeks, mostly older residents coming home in the evening. Many "
            "residents are recent immigrants with limited English; few of the robberies were reported."
        ),
    )
    # The demo's Chinese speaker (liaison/demo.py); any active Chinese speaker otherwise.
    liaison = (
        Liaison.objects.filter(user__username="demo-nguyen").first()
        or Liaison.objects.filter(is_active=True, languages__language="zh").first()
    )
    if liaison is None:
        return request
    services.request_assign(
        actor=coordinator, request=request, liaisons=[liaison], note="Bring an interpreter for Cantonese."
    )
    day = timezone.localdate()
    contact = liaison_services.contact_log(
        actor=liaison.user,
        liaison=liaison,
        date=day,
        kind="formal_meeting",
        communities=[community],
        language="zh",
        people_reached=23,
        interpreter_used=True,
        interpreter_detail="Language line (Cantonese)",
        notes="Meeting in the building's community room with the tenants' association.",
    )
    start = (timezone.localtime() + dt.timedelta(days=14)).replace(
        hour=18, minute=30, second=0, microsecond=0
    )
    event = OutreachEvent.objects.create(
        kind=OutreachEvent.Kind.COMMUNITY_MEETING,
        title="Staying safe at 40 Murray Avenue: a follow-up meeting",
        title_en="Staying safe at 40 Murray Avenue: a follow-up meeting",
        venue_name="40 Murray Avenue, community room",
        address="40 Murray Avenue, Pittsburgh, PA",
        start=start,
        end=start + dt.timedelta(hours=1, minutes=30),
        language="en",
        interpretation_languages=["zh"],
        # Published directly: demo subscribers are not notified while seeding.
        status=OutreachEvent.Status.PUBLISHED,
        published_at=timezone.now(),
        notified_at=timezone.now(),
        created_by=liaison.user,
    )
    event.communities.set([community])
    event.hosts.set([liaison])
    services.request_move(actor=liaison.user, request=request, status=EngagementRequest.Status.ENGAGED)
    services.request_link(actor=liaison.user, request=request, contacts=[contact], events=[event])
    return request
