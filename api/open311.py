"""Open311 GeoReport v2 at /open311/v2/, with one step beyond the specification: every call
takes `locale` (BCP 47) or Accept-Language, names and notes come back in that language along
its declared fallback, and a `locale` field says which language each text is in. A request
records the language it was made in, so its status notice goes out in that language.

Only what the public status page shows ever leaves: never the submitter's e-mail or phone,
what they wrote, where, or an internal note. Submissions share the web form's rate limits
(per address), honeypot and 911 notice."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from agencies import conf as agency_conf
from feedback import ratelimits, selectors
from feedback.forms import HONEYPOT, ConcernForm
from feedback.models import Concern
from feedback.services import concern_submit, response_in
from languages import content

from . import serializers as out
from .base import ApiView
from .errors import Refused
from .languages import bcp47, match
from .renderers import Open311XMLRenderer
from .throttles import PublicThrottle

MAX_IDS = 10
FORM_FIELDS = {  # the web form's field -> the Open311 name it is sent as
    "category": "service_code",
    "text": "description",
    "place": "address_string",
    "email": "email",
    "phone": "phone",
    "community": "attribute[community]",
    "contact_method": "attribute[contact_method]",
    "language": "attribute[language]",
}
LOCALE_PARAM = OpenApiParameter(
    "locale", str, description="BCP 47 language tag (so, ar, zh-Hans, pt-BR); else Accept-Language."
)
ERRORS = {code: out.Open311Error(many=True) for code in (400, 404, 429)}


def emergency_notice() -> str:
    return _("In an emergency, call %(number)s.") % {"number": settings.EMERGENCY_NUMBER}


class Open311View(ApiView):
    authentication_classes = []
    # Per address, as the public API; sending and looking up also count against the feedback
    # app's own limits, shared with the web form.
    throttle_classes = [PublicThrottle]
    renderer_classes = [JSONRenderer, Open311XMLRenderer]

    def limit(self, group: str):
        limit = ratelimits.hit(self.request, group)
        if limit.limited:
            # Answered as every limit of the API is (errors.exception_handler): rate_limited,
            # Retry-After, in the caller's language.
            raise exceptions.Throttled(wait=limit.retry_after)


def _service(category, language: str) -> dict:
    name = content.localized(category, "name", language)
    return {
        "service_code": category.slug,
        "service_name": name.text,
        "description": emergency_notice(),
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": "",
        "locale": {"service_name": bcp47(name.language), "description": bcp47(language)},
    }


class Services(Open311View):
    xml_root = "services"
    cacheable = True

    @extend_schema(
        operation_id="open311_services",
        tags=["Open311"],
        parameters=[LOCALE_PARAM, OpenApiParameter("jurisdiction_id", str)],
        responses={200: out.Service(many=True), **ERRORS},
    )
    def get(self, request, format=None):  # noqa: A002 - DRF's name
        return Response([_service(c, self.language) for c in selectors.categories()])


def _category(code: str):
    category = selectors.categories().filter(slug=(code or "")[:60]).first()
    if category is None:
        raise Refused("service_not_found", 404)
    return category


class ServiceDefinition(Open311View):
    xml_root = "service_definition"
    cacheable = True

    @extend_schema(
        operation_id="open311_service_definition",
        tags=["Open311"],
        parameters=[LOCALE_PARAM],
        responses={200: out.ServiceDefinition, **ERRORS},
    )
    def get(self, request, code, format=None):  # noqa: A002
        category = _category(code)
        form = ConcernForm()
        communities = [
            {"key": c.slug, "name": content.localized(c, "name", self.language).text}
            for c in form.fields["community"].queryset
        ]
        methods = [{"key": k, "name": str(v)} for k, v in Concern.ContactMethod.choices]
        languages = [{"key": bcp47(k), "name": v} for k, v in form.fields["language"].choices]
        attributes = [
            {
                "variable": False,
                "code": "emergency",
                "datatype": "string",
                "required": False,
                "datatype_description": "",
                "order": 1,
                "description": emergency_notice(),
            },
            {
                "variable": True,
                "code": "community",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "",
                "order": 2,
                "description": str(form.fields["community"].label),
                "values": communities,
            },
            {
                "variable": True,
                "code": "contact_method",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": str(form.reach_hint),
                "order": 3,
                "description": str(form.fields["contact_method"].label),
                "values": methods,
            },
            {
                "variable": True,
                "code": "language",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "",
                "order": 4,
                "description": str(form.fields["language"].label),
                "values": languages,
            },
        ]
        return Response(
            {"service_code": category.slug, "attributes": attributes, "locale": bcp47(self.language)}
        )


def _coordinates(data) -> tuple[str, dict]:
    """ "lat, long" as text for the place, or field errors (both or neither, in range)."""
    lat, lng = (str(data.get(k) or "").strip() for k in ("lat", "long"))
    if not lat and not lng:
        return "", {}
    try:
        la, lo = float(lat), float(lng)
    except ValueError:
        return "", {"lat": [_("Give lat and long as decimal degrees, for example 40.7128 and -74.0060.")]}
    if not (-90 <= la <= 90 and -180 <= lo <= 180):  # NaN and infinity fail it too
        return "", {"lat": [_("Give lat and long as decimal degrees, for example 40.7128 and -74.0060.")]}
    return f"{la:.5f}, {lo:.5f}", {}


def _public_request(concern: Concern, language: str) -> dict:
    """What the public status page shows, in Open311's names."""
    shown = selectors.public_status(concern, language)
    notes, notes_language = response_in(concern, language)
    if not notes and shown["reason"]:
        # Written by staff in whatever language they wrote it: BCP 47's "undetermined".
        notes, notes_language = shown["reason"], "und"
    name = content.localized(concern.category, "name", language)
    return {
        "service_request_id": concern.code_display,
        "status": "open" if concern.is_open else "closed",
        "status_notes": notes or None,
        "service_name": name.text,
        "service_code": concern.category.slug,
        "description": None,
        "agency_responsible": str(agency_conf.unit_name()),
        "service_notice": None,
        "requested_datetime": timezone.localtime(concern.created_at).isoformat(),
        "updated_datetime": timezone.localtime(concern.updated_at).isoformat(),
        "expected_datetime": None,
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
        "status_name": str(shown["status_display"]),
        "locale": {
            "service_name": bcp47(name.language),
            "status_name": bcp47(language),
            **({"status_notes": bcp47(notes_language or language)} if notes else {}),
        },
    }


class Requests(Open311View):
    @extend_schema(
        operation_id="open311_requests",
        tags=["Open311"],
        parameters=[
            LOCALE_PARAM,
            OpenApiParameter(
                "service_request_id",
                str,
                required=True,
                description="Tracking codes, separated by commas (up to 10). Concerns are not listed otherwise.",
            ),
        ],
        responses={200: out.ServiceRequest(many=True), **ERRORS},
    )
    def get(self, request, format=None):  # noqa: A002
        ids = [i for i in (request.query_params.get("service_request_id") or "").split(",") if i.strip()]
        if not ids or len(ids) > MAX_IDS:
            raise Refused("request_ids_required", 400)
        found = []
        for code in ids:
            self.limit(ratelimits.TRACK)  # each code a look-up, as on the tracking page
            concern = selectors.concern_by_code(code[:40])
            if concern is not None:
                found.append(_public_request(concern, self.language))
        return Response(found)

    @extend_schema(
        operation_id="open311_request_create",
        tags=["Open311"],
        parameters=[LOCALE_PARAM],
        request={"application/x-www-form-urlencoded": out.RequestIn, "application/json": out.RequestIn},
        responses={201: out.RequestCreated(many=True), **ERRORS},
    )
    def post(self, request, format=None):  # noqa: A002
        data = self.body(request)
        category = selectors.categories().filter(slug=str(data.get("service_code") or "")[:60]).first()
        communities = selectors.communities()
        community_key = str(data.get("attribute[community]") or "")[:80]
        community = communities.filter(slug=community_key).first() if community_key else None
        email, phone = str(data.get("email") or ""), str(data.get("phone") or "")
        method = str(data.get("attribute[contact_method]") or "") or (
            "email" if email else "phone" if phone else "none"
        )
        language = data.get("attribute[language]")
        place, errors = _coordinates(data)
        address = str(data.get("address_string") or "").strip()
        place = f"{address} ({place})" if address and place else address or place
        form = ConcernForm(
            {
                "category": str(category.pk) if category else "",
                "text": str(data.get("description") or ""),
                "community": str(community.pk) if community else ("-" if community_key else ""),
                "place": place,
                "contact_method": method,
                "email": email,
                "phone": phone,
                "language": (match(str(language)) or "-") if language else self.language,
                HONEYPOT: str(data.get(HONEYPOT) or ""),
            }
        )
        if form.is_spam:
            self.limit(ratelimits.SUBMIT)
            raise Refused("spam_refused", 400)
        if not form.is_valid() or errors:
            fields = {FORM_FIELDS.get(k, k): [str(m) for m in v] for k, v in form.errors.items()}
            fields.update(errors)
            if category is None:
                fields["service_code"] = [
                    _("There is no service with this code. See services.json for the list.")
                ]
            raise Refused("validation_failed", 400, fields=fields)
        self.limit(ratelimits.SUBMIT)
        values = form.cleaned_data
        concern = concern_submit(
            category=values["category"],
            text=values["text"],
            community=values.get("community"),
            place=values["place"],
            contact_method=values["contact_method"],
            email=values["email"],
            phone=values["phone"],
            language=values["language"],
        )
        notice = _("Keep this tracking code to follow your concern: %(code)s.") % {
            "code": concern.code_display
        }
        body = {
            "service_request_id": concern.code_display,
            "token": concern.code_display,
            "service_notice": f"{notice} {emergency_notice()}",
            "account_id": None,
            "locale": bcp47(self.language),
        }
        return Response([body], status=status.HTTP_201_CREATED)


class Request(Open311View):
    @extend_schema(
        operation_id="open311_request",
        tags=["Open311"],
        parameters=[LOCALE_PARAM],
        responses={200: out.ServiceRequest(many=True), **ERRORS},
    )
    def get(self, request, code, format=None):  # noqa: A002
        self.limit(ratelimits.TRACK)
        concern = selectors.concern_by_code(code[:40])
        if concern is None:
            raise Refused("not_found", 404)
        return Response([_public_request(concern, self.language)])
