"""The staff REST API. Each operation calls the same forms, services and selectors as its web
page, so the rules (and the numbers) are the web's."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from dashboard import outcomes
from dashboard import selectors as dashboard_selectors
from dashboard.forms import DashboardFilterForm
from languages import content
from liaison import selectors as liaison_selectors
from liaison import services as liaison_services
from liaison.forms import ContactForm
from liaison.models import Contact
from liaison.quarters import Quarter
from outreach import selectors as outreach_selectors
from outreach import services as outreach_services
from outreach.forms import AttendanceForm
from outreach.models import OutreachEvent

from . import serializers as out
from .base import ApiView
from .errors import Refused
from .languages import bcp47
from .models import AccessToken
from .permissions import scope
from .public import PAGE, page_of

Scope = AccessToken.Scope
LIST_FIELDS = ("communities", "topics")
STAFF_ERRORS = {code: out.Error for code in (400, 401, 403, 404, 429)}


def _form_data(data, lists=()) -> MultiValueDict:
    """JSON (or a form) as a Django form reads it: lists as lists, true as "on", null as absent."""
    out_data = MultiValueDict()
    for key in data:
        value = data.getlist(key) if hasattr(data, "getlist") and key in lists else data.get(key)
        if value is None or value is False:
            continue
        if key in lists:
            values = value if isinstance(value, list) else [value]
            out_data.setlist(key, [str(v) for v in values])
        else:
            out_data[key] = "on" if value is True else str(value)
    return out_data


def _invalid(refusal) -> Refused:
    """A form's errors, or a service's ValidationError, as validation_failed by field."""
    if isinstance(refusal, ValidationError):
        errors = refusal.message_dict if hasattr(refusal, "error_dict") else {"__all__": refusal.messages}
    else:
        errors = refusal.errors
    return Refused("validation_failed", 400, fields={k: [str(m) for m in v] for k, v in errors.items()})


def _liaison(request):
    liaison = liaison_selectors.liaison_for_user(request.user)
    if liaison is None:
        raise Refused(
            "permission_denied", 403, text=_("Only liaison officers with a liaison profile can log contacts.")
        )
    return liaison


def _contact(c: Contact) -> dict:
    return {
        "id": c.pk,
        "date": c.date.isoformat(),
        "kind": c.kind,
        "communities": sorted(x.pk for x in c.communities.all()),
        "people_reached": c.people_reached,
        "language": c.language,
        "interpreter_used": c.interpreter_used,
        "interpreter_detail": c.interpreter_detail,
        "partner": c.partner_id,
        "topics": sorted(t.pk for t in c.topics.all()),
        "follow_up_due": c.follow_up_due.isoformat() if c.follow_up_due else None,
        "notes": c.notes,
        "client_id": str(c.client_id) if c.client_id else None,
    }


class Contacts(ApiView):
    def get_permissions(self):
        return [scope(Scope.CONTACTS_WRITE if self.request.method == "POST" else Scope.CONTACTS_READ)()]

    @extend_schema(
        operation_id="contacts_list",
        tags=["Contacts"],
        summary="Your own contacts, newest first",
        parameters=[OpenApiParameter("quarter", str, description="e.g. 2026-Q3"), *PAGE],
        responses={200: page_of("ContactPage", out.Contact(many=True)), **STAFF_ERRORS},
    )
    def get(self, request):
        liaison = _liaison(request)
        asked = request.query_params.get("quarter")
        quarter = Quarter.parse(asked)
        if asked and quarter is None:
            raise Refused(
                "validation_failed", 400, fields={"quarter": [_("Choose a quarter such as 2025-Q2.")]}
            )
        contacts = liaison_selectors.contact_list(user=request.user, liaison=liaison, quarter=quarter)
        pages, page = self.paginate(contacts, request)
        return pages.get_paginated_response([_contact(c) for c in page])

    @extend_schema(
        operation_id="contacts_create",
        tags=["Contacts"],
        summary="Log a contact (the contact log's rules; a client_id sent again logs it once)",
        request=out.ContactIn,
        responses={200: out.Contact, 201: out.Contact, 409: out.Error, **STAFF_ERRORS},
    )
    def post(self, request):
        liaison = _liaison(request)
        form = ContactForm(_form_data(self.body(request), LIST_FIELDS), liaison=liaison)
        if not form.is_valid():
            raise _invalid(form)
        try:
            contact, created = liaison_services.contact_log_once(
                actor=request.user,
                liaison=liaison,
                client_id=form.cleaned_data.get("client_id"),
                **form.contact_fields(),
            )
        except ValidationError as exc:
            raise _invalid(exc) from None
        except liaison_services.ClientIdTaken:
            raise Refused(
                "validation_failed",
                409,
                fields={"client_id": [_("This form was already used for another contact. Start a new one.")]},
            ) from None
        contact = liaison_selectors.contact_list(user=request.user, liaison=liaison).get(pk=contact.pk)
        return Response(_contact(contact), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ContactDetail(ApiView):
    def get_permissions(self):
        return [scope(Scope.CONTACTS_READ)()]

    @extend_schema(
        operation_id="contacts_read", tags=["Contacts"], responses={200: out.Contact, **STAFF_ERRORS}
    )
    def get(self, request, pk):
        contact = (
            liaison_selectors.contact_list(user=request.user, liaison=_liaison(request)).filter(pk=pk).first()
        )
        if contact is None:  # another liaison's contact: a 404, never a 403 that says it exists
            raise Refused("not_found", 404)
        return Response(_contact(contact))


def _event(event: OutreachEvent) -> dict:
    title = content.localized(event, "title")
    return {
        "id": event.pk,
        "title": title.text,
        "locale": {"title": bcp47(title.language)} if title.text else {},
        "kind": event.kind,
        "status": event.status,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
        "time_zone": event.time_zone,
        "venue_name": event.venue_name,
        "address": event.address,
        "language": event.language,
        "interpretation_languages": list(event.interpretation_languages or []),
        "communities": sorted(c.pk for c in event.communities.all()),
        "hosts": sorted(h.pk for h in event.hosts.all()),
        "attended": event.attended,
    }


def _attendance(record) -> dict:
    return {
        "date": record.date.isoformat(),
        "total": record.total,
        "by_community": [{"community": r.community_id, "count": r.count} for r in record.by_community.all()],
    }


def _staff_event(request, pk) -> OutreachEvent:
    event = outreach_selectors.staff_events(user=request.user).filter(pk=pk).first()
    if event is None:
        raise Refused("not_found", 404)
    return event


class Events(ApiView):
    def get_permissions(self):
        return [scope(Scope.EVENTS_READ)()]

    @extend_schema(
        operation_id="events_list",
        tags=["Events"],
        parameters=PAGE,
        responses={200: page_of("EventPage", out.Event(many=True)), **STAFF_ERRORS},
    )
    def get(self, request):
        pages, page = self.paginate(outreach_selectors.staff_events(user=request.user), request)
        return pages.get_paginated_response([_event(e) for e in page])


class EventDetail(ApiView):
    def get_permissions(self):
        return [scope(Scope.EVENTS_READ)()]

    @extend_schema(
        operation_id="events_read", tags=["Events"], responses={200: out.EventDetail, **STAFF_ERRORS}
    )
    def get(self, request, pk):
        event = _staff_event(request, pk)
        records = event.attendance.prefetch_related("by_community").order_by("date")
        return Response({**_event(event), "attendance": [_attendance(r) for r in records]})


class EventAttendance(ApiView):
    def get_permissions(self):
        return [scope(Scope.EVENTS_WRITE)()]

    @extend_schema(
        operation_id="events_attendance_record",
        tags=["Events"],
        summary="Record (or correct) how many came to one occurrence",
        request=out.AttendanceIn,
        responses={200: out.Attendance, 201: out.Attendance, 409: out.Error, **STAFF_ERRORS},
    )
    def post(self, request, pk):
        event = _staff_event(request, pk)
        body = self.body(request)
        data = _form_data(body)
        by_community = body.get("by_community")
        if by_community is not None:
            if not isinstance(by_community, dict):
                raise Refused(
                    "validation_failed", 400, fields={"by_community": [_("Count people by community id.")]}
                )
            data.pop("by_community", None)
            for key, count in by_community.items():
                data[f"community_{key}"] = "" if count is None else str(count)
        form = AttendanceForm(data, event=event)
        if not form.is_valid():
            raise _invalid(form)
        unknown = [k for k in data if k.startswith("community_") and k not in form.fields]
        if unknown:
            raise Refused(
                "validation_failed",
                400,
                fields={"by_community": [_("Count only the event's audience communities.")]},
            )
        try:
            record, created = outreach_services.event_record_attendance_once(
                actor=request.user,
                event=event,
                client_id=form.cleaned_data.get("client_id"),
                date=form.cleaned_data["date"],
                total=form.cleaned_data["total"],
                by_community=form.by_community(),
            )
        except PermissionDenied:
            raise Refused("permission_denied", 403) from None
        except ValidationError as exc:
            raise _invalid(exc) from None
        except liaison_services.ClientIdTaken:
            raise Refused(
                "validation_failed",
                409,
                fields={"client_id": [_("This form was already used for another record. Start again.")]},
            ) from None
        return Response(
            _attendance(record), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


def _named(obj, language: str) -> dict:
    name = content.localized(obj, "name", language)
    return {"id": obj.pk, "name": name.text, "locale": bcp47(name.language)}


def _localized(value, language: str) -> tuple[str, str]:
    if isinstance(value, content.Localized):
        return value.text, bcp47(value.language)
    return str(value), bcp47(language)


class Figures(ApiView):
    def get_permissions(self):
        return [scope(Scope.FIGURES_READ)()]

    @extend_schema(
        operation_id="figures_read",
        tags=["Figures"],
        summary="The dashboard's figures for one quarter (the same numbers as the page and its export)",
        parameters=[
            OpenApiParameter("quarter", str, description="e.g. 2026-Q3; the current quarter if not given."),
            OpenApiParameter("unit", str),
            OpenApiParameter("community", int, description="A community id."),
        ],
        responses={200: OpenApiResponse(out.Figures), **STAFF_ERRORS},
    )
    def get(self, request):
        span = dashboard_selectors.data_range()
        form = DashboardFilterForm(
            request.query_params,
            quarters=dashboard_selectors.quarter_choices(span),
            units=dashboard_selectors.units(),
        )
        if not form.is_valid():
            raise _invalid(form)
        filters = dashboard_selectors.Filters(
            quarter=form.cleaned_data.get("quarter") or Quarter.current(),
            unit=form.cleaned_data.get("unit") or None,
            community=form.cleaned_data.get("community"),
        )
        fig = dashboard_selectors.contact_figures(filters)
        trend = outcomes.add_events_to_trend(fig.trend, filters)
        events = outcomes.event_figures(filters)
        concerns = outcomes.concern_figures(filters)
        lang = self.language

        def group(rows):
            out_rows = []
            for r in rows:
                name, locale = _localized(r["label"], lang)
                out_rows.append(
                    {
                        "name": name,
                        "locale": locale,
                        "received": r["received"],
                        "resolved": r["resolved"],
                        "median_days_to_action": r["median_days"],
                    }
                )
            return out_rows

        q = filters.quarter
        body = {
            "quarter": q.key,
            "start": q.start.isoformat(),
            "end": q.end.isoformat(),
            "unit": filters.unit,
            "community": filters.community.pk if filters.community else None,
            "contacts": fig.total_contacts,
            "people_reached": fig.total_people,
            "contacts_with_interpreter": fig.interpreter,
            "liaisons": [
                {
                    "liaison": r["liaison"].pk,
                    "name": r["name"],
                    "unit": r["liaison"].unit,
                    "contacts": r["contacts"],
                    "target": r["target"],
                    "percent_of_target": r["percent"],
                    "people_reached": r["people"],
                }
                for r in fig.liaisons
            ],
            "communities": [
                {**_named(r["community"], lang), "contacts": r["contacts"], "people_reached": r["people"]}
                for r in fig.communities
            ],
            "communities_not_reached": [_named(c, lang) for c in fig.gap],
            "kinds": [
                {
                    "code": r["code"],
                    "name": r["label"],
                    "contacts": r["contacts"],
                    "people_reached": r["people"],
                }
                for r in fig.kinds
            ],
            "languages": [
                {
                    "code": r["code"],
                    "name": r["label"],
                    "contacts": r["contacts"],
                    "people_reached": r["people"],
                }
                for r in fig.languages
            ],
            "trend": [
                {
                    "quarter": r["quarter"].key,
                    "contacts": r["contacts"],
                    "people_reached": r["people"],
                    "events_held": r["events"],
                    "attendance": r["attendance"],
                }
                for r in trend
            ],
            "events": {
                "held": events["held"],
                "attendance": events["attendance"],
                "by_kind": [
                    {"name": r["label"], "events_held": r["events"], "attendance": r["attendance"]}
                    for r in events["by_kind"]
                ],
                "by_community": [
                    dict(
                        zip(("name", "locale"), _localized(r["label"], lang), strict=True),
                        attendance=r["attendance"],
                    )
                    for r in events["by_community"]
                ],
            },
            "concerns": {
                "received": concerns["received"],
                "resolved": concerns["resolved"],
                "median_days_to_action": concerns["median_days"],
                "by_category": group(concerns["by_category"]),
                "by_community": group(concerns["by_community"]),
            },
        }
        return Response(body)
