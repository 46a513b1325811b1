"""Every write to engagement requests. Permissions are checked here, not only in views.

Who does what:
- commanders and coordinators raise requests (engagement.raise_request);
- the coordinator assigns liaisons (engagement.assign_request);
- an assigned liaison works the request (engaged, follow-up, links what was done); the
  coordinator may too;
- the coordinator or the person who raised it may close it from any open state, with an
  outcome; an assigned liaison closes it after the follow-up.

The assignment e-mail goes through the outbox with the key
``engagement:<request id>:assigned:<liaison id>``: assigning the same liaison again, a double
click or a retry never sends it twice."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies import conf
from agencies import conf as agency_conf
from audit import events as audit_events
from audit.services import audit_record
from liaison import services as liaison_services
from liaison.languages import LANGUAGE_CHOICES
from liaison.models import Contact, Liaison, PriorityCommunity
from messaging.rendering import message_render, recipient_language
from messaging.services import Outgoing, message_queue
from outreach.models import OutreachEvent, SafetyAlert

from . import selectors
from .models import EngagementRequest, RequestStep

Status = EngagementRequest.Status

# Audit trail events, named and labelled on the ground floor (audit.events).
REQUEST_RAISED = audit_events.REQUEST_RAISED
REQUEST_ASSIGNED = audit_events.REQUEST_ASSIGNED
REQUEST_STATUS = audit_events.REQUEST_STATUS
REQUEST_LINKED = audit_events.REQUEST_LINKED

LANGUAGE_CODES = {code for code, _name in LANGUAGE_CHOICES}
SUBJECT_MAX = EngagementRequest._meta.get_field("subject").max_length
PLACE_MAX = EngagementRequest._meta.get_field("place").max_length
TEXT_MAX = 4000

# The moves an assigned liaison (or the coordinator) makes; closing from any other open state
# is for the coordinator and the requester (can_close).
TRANSITIONS = {
    Status.ASSIGNED: {Status.ENGAGED},
    Status.ENGAGED: {Status.FOLLOW_UP},
    Status.FOLLOW_UP: {Status.ENGAGED, Status.CLOSED},
}


# --- Permissions ---------------------------------------------------------------------------


def can_raise(actor) -> bool:
    return actor.has_perm("engagement.raise_request")


def can_assign(actor) -> bool:
    return actor.has_perm("engagement.assign_request")


def can_view_all(actor) -> bool:
    return actor.has_perm("engagement.view_all_requests")


def is_assigned(actor, request: EngagementRequest) -> bool:
    liaison = selectors.liaison_of(actor)
    # Read through .all(): the detail page's prefetched liaisons answer without a query.
    return liaison is not None and any(lz.pk == liaison.pk for lz in request.liaisons.all())


def can_see(actor, request: EngagementRequest) -> bool:
    return can_view_all(actor) or is_assigned(actor, request)


def can_work(actor, request: EngagementRequest) -> bool:
    """Move it through engaged and follow-up, link what was done for it."""
    return request.is_open and (can_assign(actor) or is_assigned(actor, request))


def can_close(actor, request: EngagementRequest) -> bool:
    """From any open state: the coordinator and whoever raised it."""
    return request.is_open and (can_assign(actor) or request.requested_by_id == actor.pk)


def allowed_moves(actor, request: EngagementRequest) -> list[str]:
    """The statuses this person may move the request to now, in workflow order."""
    if not request.is_open:
        return []
    moves = set(TRANSITIONS.get(request.status, set())) if can_work(actor, request) else set()
    if can_close(actor, request):
        moves.add(Status.CLOSED)
    return [s for s in Status.values if s in moves]


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


# --- Raising -------------------------------------------------------------------------------


def request_validate(
    *,
    kind: str,
    subject: str,
    communities: list,
    languages: list,
    urgency,
    place: str = "",
    details: str = "",
) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in EngagementRequest.Kind.values:
        errors["kind"] = [_("Choose what the request is about.")]
    if not (subject or "").strip():
        errors["subject"] = [_("Say in a few words what the unit should engage about.")]
    elif len(subject.strip()) > SUBJECT_MAX:
        errors["subject"] = [_("Write %(max)s characters or fewer.") % {"max": SUBJECT_MAX}]
    if not communities:
        errors["communities"] = [_("Choose at least one community concerned.")]
    unknown = [code for code in languages if code not in LANGUAGE_CODES]
    if unknown:
        errors["languages"] = [_("Choose the languages from the list.")]
    try:
        if int(urgency) not in EngagementRequest.Urgency.values:
            raise ValueError
    except (TypeError, ValueError):
        errors["urgency"] = [_("Choose how urgent it is.")]
    if len((place or "").strip()) > PLACE_MAX:
        errors["place"] = [_("Write %(max)s characters or fewer.") % {"max": PLACE_MAX}]
    if len(details or "") > TEXT_MAX:
        errors["details"] = [_("Write %(max)s characters or fewer.") % {"max": TEXT_MAX}]
    if errors:
        raise ValidationError(errors)


def _step(request: EngagementRequest, *, actor, status: str, note: str = "") -> RequestStep:
    return RequestStep.objects.create(request=request, status=status, note=note, by=actor)


@transaction.atomic
def request_raise(
    *,
    actor,
    kind: str,
    subject: str,
    communities: Iterable[PriorityCommunity],
    languages: Iterable[str] = (),
    urgency: int = EngagementRequest.Urgency.SOON,
    place: str = "",
    details: str = "",
) -> EngagementRequest:
    _require(can_raise(actor), _("You cannot raise engagement requests."))
    communities = list(communities)
    languages = list(dict.fromkeys(languages))
    request_validate(
        kind=kind,
        subject=subject,
        communities=communities,
        languages=languages,
        urgency=urgency,
        place=place,
        details=details,
    )
    request = EngagementRequest.objects.create(
        kind=kind,
        subject=subject.strip(),
        details=(details or "").strip(),
        place=(place or "").strip(),
        languages=languages,
        urgency=int(urgency),
        requested_by=actor,
    )
    request.communities.set(communities)
    _step(request, actor=actor, status=Status.REQUESTED)
    audit_record(
        event=REQUEST_RAISED,
        actor=actor,
        target=request,
        data={"communities": [c.pk for c in communities], "languages": languages, "urgency": request.urgency},
    )
    return request


# --- Assigning -----------------------------------------------------------------------------


def _locked(request: EngagementRequest) -> EngagementRequest:
    # Locked: two coordinators assigning at once, or a link and a move at once, each read the
    # row before the other's write (first_engaged_at, status) and would undo it.
    return EngagementRequest.objects.select_for_update().get(pk=request.pk)


def _assignment_email(request: EngagementRequest, liaison: Liaison) -> Outgoing | None:
    address = liaison.user.email
    if not address:
        return None
    language = recipient_language(translation.get_language() or settings.LANGUAGE_CODE)
    rendered = message_render(
        language=language,
        subject_template="engagement/email/assigned_subject.txt",
        text_template="engagement/email/assigned.txt",
        context={
            "request": request,
            "liaison": liaison,
            "url": agency_conf.site_url(request.agency_id)
            + reverse("engagement:detail", kwargs={"pk": request.pk}),
            "unit_name": conf.unit_name(),
        },
    )
    return Outgoing(
        key=f"engagement:{request.pk}:assigned:{liaison.pk}",
        channel="email",
        address=address,
        language=rendered.language,
        subject=rendered.subject,
        body=rendered.body,
        headers={"Content-Language": rendered.language, "Auto-Submitted": "auto-generated"},
    )


@transaction.atomic
def request_assign(
    *, actor, request: EngagementRequest, liaisons: Iterable[Liaison], note: str = ""
) -> EngagementRequest:
    """Assign exactly the liaisons given (ticked on the page); the newly assigned are told by
    e-mail, once each."""
    _require(can_assign(actor), _("Only the coordinator assigns liaisons to requests."))
    request = _locked(request)
    liaisons = list(dict.fromkeys(liaisons))
    if not request.is_open:
        raise ValidationError({"liaisons": [_("This request is closed.")]})
    if not liaisons:
        raise ValidationError({"liaisons": [_("Choose at least one liaison.")]})
    if any(not lz.is_active for lz in liaisons):
        raise ValidationError({"liaisons": [_("Choose active liaisons only.")]})
    if len(note or "") > TEXT_MAX:
        raise ValidationError({"note": [_("Write %(max)s characters or fewer.") % {"max": TEXT_MAX}]})
    before = set(request.liaisons.values_list("pk", flat=True))
    chosen = {lz.pk for lz in liaisons}
    added = [lz for lz in liaisons if lz.pk not in before]
    if chosen == before and not note:
        return request
    request.liaisons.set(liaisons)
    fields = ["updated_at"]
    if request.status == Status.REQUESTED:
        request.status = Status.ASSIGNED
        fields.append("status")
    if request.assigned_at is None:
        request.assigned_at = timezone.now()
        fields.append("assigned_at")
    request.save(update_fields=fields)
    names = ", ".join(lz.display_name for lz in liaisons)
    step_note = _("Assigned: %(names)s") % {"names": names}
    if note and note.strip():
        step_note += "\n" + note.strip()
    _step(request, actor=actor, status=request.status, note=step_note)
    audit_record(
        event=REQUEST_ASSIGNED,
        actor=actor,
        target=request,
        data={"from": sorted(before), "to": sorted(chosen), "names": names},
    )
    outgoing = [o for o in (_assignment_email(request, lz) for lz in added) if o is not None]
    message_queue(outgoing=outgoing)
    return request


# --- Moving --------------------------------------------------------------------------------


@transaction.atomic
def request_move(
    *, actor, request: EngagementRequest, status: str, note: str = "", outcome: str = ""
) -> EngagementRequest:
    request = _locked(request)
    if not can_see(actor, request) and request.requested_by_id != actor.pk:
        raise PermissionDenied(_("You cannot change this request."))
    if status not in Status.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    if status not in allowed_moves(actor, request):
        if not request.is_open:
            raise ValidationError({"status": [_("This request is closed.")]})
        raise ValidationError(
            {
                "status": [
                    _("A request that is “%(now)s” cannot be moved to “%(to)s” by you.")
                    % {"now": request.get_status_display(), "to": Status(status).label}
                ]
            }
        )
    outcome = (outcome or "").strip()
    note = (note or "").strip()
    if status == Status.CLOSED and not outcome:
        raise ValidationError({"outcome": [_("Say what came of it before closing the request.")]})
    if len(note) > TEXT_MAX or len(outcome) > TEXT_MAX:
        raise ValidationError({"note": [_("Write %(max)s characters or fewer.") % {"max": TEXT_MAX}]})
    previous = request.status
    now = timezone.now()
    request.status = status
    fields = ["status", "updated_at"]
    if status == Status.ENGAGED and (request.first_engaged_at is None or now < request.first_engaged_at):
        request.first_engaged_at = now
        fields.append("first_engaged_at")
    if status == Status.CLOSED:
        request.closed_at = now
        request.outcome = outcome
        fields += ["closed_at", "outcome"]
    request.save(update_fields=fields)
    _step(request, actor=actor, status=status, note=outcome if status == Status.CLOSED and not note else note)
    audit_record(event=REQUEST_STATUS, actor=actor, target=request, data={"from": previous, "to": status})
    return request


# --- Linking what was done -----------------------------------------------------------------


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


@transaction.atomic
def request_link(
    *,
    actor,
    request: EngagementRequest,
    contacts: Iterable[Contact] = (),
    events: Iterable[OutreachEvent] = (),
    alerts: Iterable[SafetyAlert] = (),
) -> EngagementRequest:
    """Link the contacts, events and alerts made for the request. The first engagement is the
    earliest of the move to "engaged", the first linked contact's day and the first linked
    event's start."""
    request = _locked(request)
    _require(can_work(actor, request), _("You cannot link records to this request."))
    contacts, events, alerts = list(contacts), list(events), list(alerts)
    if not (contacts or events or alerts):
        raise ValidationError(_("Choose at least one contact, event or alert to link."))
    assigned = set(request.liaisons.values_list("pk", flat=True))
    if any(c.liaison_id not in assigned for c in contacts):
        raise ValidationError({"contacts": [_("Link only contacts logged by the liaisons assigned to it.")]})
    if any(a.status != SafetyAlert.Status.SENT for a in alerts):
        raise ValidationError({"alerts": [_("Link only alerts that were approved and sent.")]})
    had = {
        "contacts": set(request.contacts.values_list("pk", flat=True)),
        "events": set(request.events.values_list("pk", flat=True)),
        "alerts": set(request.alerts.values_list("pk", flat=True)),
    }
    new_contacts = [c for c in contacts if c.pk not in had["contacts"]]
    new_events = [e for e in events if e.pk not in had["events"]]
    new_alerts = [a for a in alerts if a.pk not in had["alerts"]]
    if not (new_contacts or new_events or new_alerts):
        return request
    request.contacts.add(*new_contacts)
    request.events.add(*new_events)
    request.alerts.add(*new_alerts)
    moments = [_day_start(c.date) for c in new_contacts] + [e.start for e in new_events]
    fields = ["updated_at"]
    if request.first_engaged_at is not None:
        moments.append(request.first_engaged_at)
    # A contact logged on the day of the request counts from the request, never before it.
    first = max(min(moments), request.requested_at) if moments else None
    if first is not None and first != request.first_engaged_at:
        request.first_engaged_at = first
        fields.append("first_engaged_at")
    request.save(update_fields=fields)
    parts = []
    if new_contacts:
        parts.append(_("%(n)s contact(s)") % {"n": len(new_contacts)})
    if new_events:
        parts.append(_("%(n)s event(s)") % {"n": len(new_events)})
    if new_alerts:
        parts.append(_("%(n)s alert(s)") % {"n": len(new_alerts)})
    _step(
        request, actor=actor, status=request.status, note=_("Linked: %(what)s") % {"what": ", ".join(parts)}
    )
    audit_record(
        event=REQUEST_LINKED,
        actor=actor,
        target=request,
        data={
            "contacts": [c.pk for c in new_contacts],
            "events": [e.pk for e in new_events],
            "alerts": [a.pk for a in new_alerts],
        },
    )
    return request


@transaction.atomic
def request_contact_log(*, actor, request: EngagementRequest, liaison: Liaison, **fields) -> Contact:
    """Log a contact for the request and link it, in one transaction: both or neither."""
    _require(can_work(actor, request), _("You cannot log contacts for this request."))
    contact = liaison_services.contact_log(actor=actor, liaison=liaison, **fields)
    request_link(actor=actor, request=request, contacts=[contact])
    return contact
