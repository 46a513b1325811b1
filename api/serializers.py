"""The shapes the API answers with (and documents in its OpenAPI schema). Input is checked
by the same Django forms and services as the web pages; the *In serializers only document it."""

from rest_framework import serializers as s

LOCALE_HELP = "The BCP 47 language each text is in: the one asked for, or its declared fallback."


class Locales(s.DictField):
    def __init__(self, **kwargs):
        super().__init__(child=s.CharField(), help_text=LOCALE_HELP, **kwargs)


class ErrorDetail(s.Serializer):
    code = s.CharField(help_text="A stable code, e.g. validation_failed, token_expired, scope_missing.")
    message = s.CharField(help_text="In the language asked for.")
    locale = s.CharField()
    fields = s.DictField(child=s.ListField(child=s.CharField()))


class Error(s.Serializer):
    error = ErrorDetail()


# --- contacts ---


class ContactIn(s.Serializer):
    date = s.DateField()
    kind = s.CharField()
    communities = s.ListField(child=s.IntegerField(), help_text="Ids of communities you are assigned to.")
    people_reached = s.IntegerField(min_value=1, default=1)
    language = s.CharField(help_text="The language used, e.g. ne.")
    interpreter_used = s.BooleanField(default=False)
    interpreter_detail = s.CharField(required=False, allow_blank=True)
    partner = s.IntegerField(required=False, allow_null=True)
    topics = s.ListField(child=s.IntegerField(), required=False)
    follow_up_due = s.DateField(required=False, allow_null=True)
    notes = s.CharField(required=False, allow_blank=True)
    client_id = s.UUIDField(
        required=False,
        allow_null=True,
        help_text="Your own identifier: sent again, it logs the contact once.",
    )


class Contact(s.Serializer):
    id = s.IntegerField()
    date = s.DateField()
    kind = s.CharField()
    communities = s.ListField(child=s.IntegerField())
    people_reached = s.IntegerField()
    language = s.CharField()
    interpreter_used = s.BooleanField()
    interpreter_detail = s.CharField()
    partner = s.IntegerField(allow_null=True)
    topics = s.ListField(child=s.IntegerField())
    follow_up_due = s.DateField(allow_null=True)
    notes = s.CharField()
    client_id = s.UUIDField(allow_null=True)


# --- events ---


class CommunityCount(s.Serializer):
    community = s.IntegerField()
    count = s.IntegerField()


class Attendance(s.Serializer):
    date = s.DateField()
    total = s.IntegerField()
    by_community = CommunityCount(many=True)


class AttendanceIn(s.Serializer):
    date = s.DateField(help_text="The day of the occurrence, in the event's time zone.")
    total = s.IntegerField(min_value=1)
    by_community = s.DictField(
        child=s.IntegerField(min_value=0), required=False, help_text="Community id: count."
    )
    client_id = s.UUIDField(required=False, allow_null=True)


class Event(s.Serializer):
    id = s.IntegerField()
    title = s.CharField()
    kind = s.CharField()
    status = s.CharField()
    start = s.DateTimeField()
    end = s.DateTimeField()
    time_zone = s.CharField()
    venue_name = s.CharField()
    address = s.CharField()
    language = s.CharField()
    interpretation_languages = s.ListField(child=s.CharField())
    communities = s.ListField(child=s.IntegerField())
    hosts = s.ListField(child=s.IntegerField(), help_text="Liaison ids.")
    locale = Locales()
    attended = s.IntegerField(allow_null=True, help_text="People counted over all occurrences.")


class EventDetail(Event):
    attendance = Attendance(many=True)


# --- figures ---


class Named(s.Serializer):
    id = s.IntegerField()
    name = s.CharField()
    locale = s.CharField()


class LiaisonFigure(s.Serializer):
    liaison = s.IntegerField()
    name = s.CharField()
    unit = s.CharField()
    contacts = s.IntegerField()
    target = s.IntegerField()
    percent_of_target = s.IntegerField()
    people_reached = s.IntegerField()


class CommunityFigure(Named):
    contacts = s.IntegerField()
    people_reached = s.IntegerField()


class CodeFigure(s.Serializer):
    code = s.CharField()
    name = s.CharField()
    contacts = s.IntegerField()
    people_reached = s.IntegerField()


class TrendFigure(s.Serializer):
    quarter = s.CharField()
    contacts = s.IntegerField()
    people_reached = s.IntegerField()
    events_held = s.IntegerField()
    attendance = s.IntegerField()


class KindEvents(s.Serializer):
    name = s.CharField()
    events_held = s.IntegerField()
    attendance = s.IntegerField()


class CommunityEvents(s.Serializer):
    name = s.CharField()
    locale = s.CharField()
    attendance = s.IntegerField()


class EventFigures(s.Serializer):
    held = s.IntegerField()
    attendance = s.IntegerField()
    by_kind = KindEvents(many=True)
    by_community = CommunityEvents(many=True)


class ConcernGroup(s.Serializer):
    name = s.CharField()
    locale = s.CharField()
    received = s.IntegerField()
    resolved = s.IntegerField()
    median_days_to_action = s.FloatField(allow_null=True)


class ConcernFigures(s.Serializer):
    received = s.IntegerField()
    resolved = s.IntegerField()
    median_days_to_action = s.FloatField(allow_null=True)
    by_category = ConcernGroup(many=True)
    by_community = ConcernGroup(many=True)


class Figures(s.Serializer):
    quarter = s.CharField(help_text="e.g. 2026-Q3")
    start = s.DateField()
    end = s.DateField()
    unit = s.CharField(allow_null=True)
    community = s.IntegerField(allow_null=True)
    contacts = s.IntegerField()
    people_reached = s.IntegerField()
    contacts_with_interpreter = s.IntegerField()
    liaisons = LiaisonFigure(many=True)
    communities = CommunityFigure(many=True)
    communities_not_reached = Named(many=True)
    kinds = CodeFigure(many=True)
    languages = CodeFigure(many=True)
    trend = TrendFigure(many=True)
    events = EventFigures()
    concerns = ConcernFigures()


# --- public read API ---


class PublicCommunity(s.Serializer):
    slug = s.CharField()
    name = s.CharField()
    locale = s.CharField()


class PublicEvent(s.Serializer):
    id = s.IntegerField()
    title = s.CharField()
    description = s.CharField()
    venue_directions = s.CharField()
    kind = s.CharField()
    kind_name = s.CharField()
    status = s.CharField(help_text="published or cancelled")
    start = s.DateTimeField(help_text="The next occurrence.")
    end = s.DateTimeField()
    time_zone = s.CharField()
    venue_name = s.CharField()
    address = s.CharField()
    language = s.CharField()
    interpretation_languages = s.ListField(child=s.CharField())
    communities = PublicCommunity(many=True)
    url = s.URLField()
    calendar_url = s.URLField()
    locale = Locales()


class PublicItem(s.Serializer):
    summary = s.CharField()
    category = s.CharField()
    community = s.CharField(allow_null=True)
    quarter = s.CharField(allow_null=True)
    locale = Locales()


# --- Open311 GeoReport v2 ---


class Service(s.Serializer):
    service_code = s.CharField()
    service_name = s.CharField()
    description = s.CharField()
    metadata = s.BooleanField()
    type = s.ChoiceField(choices=["realtime", "batch", "blackbox"])
    keywords = s.CharField()
    group = s.CharField()
    locale = Locales()


class AttributeValue(s.Serializer):
    key = s.CharField()
    name = s.CharField()


class Attribute(s.Serializer):
    variable = s.BooleanField()
    code = s.CharField()
    datatype = s.ChoiceField(
        choices=["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    )
    required = s.BooleanField()
    datatype_description = s.CharField()
    order = s.IntegerField()
    description = s.CharField()
    values = AttributeValue(many=True, required=False)


class ServiceDefinition(s.Serializer):
    service_code = s.CharField()
    attributes = Attribute(many=True)
    locale = s.CharField()


class RequestIn(s.Serializer):
    service_code = s.CharField()
    description = s.CharField(help_text="What happened. Do not write names.")
    lat = s.FloatField(required=False, min_value=-90, max_value=90)
    long = s.FloatField(required=False, min_value=-180, max_value=180)
    address_string = s.CharField(required=False)
    email = s.CharField(required=False, help_text="Only to answer; leave empty to stay anonymous.")
    phone = s.CharField(required=False, help_text="Only to answer by text message.")
    locale = s.CharField(required=False, help_text="BCP 47: the language to answer in.")


# Open311 names the service definition's fields attribute[<code>]: not Python names.
RequestIn._declared_fields.update(
    {
        "attribute[community]": s.CharField(
            required=False, help_text="A community's key from the definition."
        ),
        "attribute[contact_method]": s.CharField(required=False, help_text="none, email or phone."),
        "attribute[language]": s.CharField(required=False, help_text="The language to answer in."),
        "website": s.CharField(required=False, help_text="Leave empty (a trap for robots)."),
    }
)


class RequestCreated(s.Serializer):
    service_request_id = s.CharField(help_text="The tracking code.")
    token = s.CharField(help_text="The tracking code too: keep it to follow the request.")
    service_notice = s.CharField()
    account_id = s.CharField(allow_null=True)
    locale = s.CharField()


class ServiceRequest(s.Serializer):
    service_request_id = s.CharField()
    status = s.ChoiceField(choices=["open", "closed"])
    status_notes = s.CharField(allow_null=True)
    service_name = s.CharField()
    service_code = s.CharField()
    description = s.CharField(allow_null=True, help_text="Never given: what a resident wrote stays private.")
    agency_responsible = s.CharField()
    service_notice = s.CharField(allow_null=True)
    requested_datetime = s.DateTimeField()
    updated_datetime = s.DateTimeField()
    expected_datetime = s.DateTimeField(allow_null=True)
    address = s.CharField(allow_null=True)
    address_id = s.CharField(allow_null=True)
    zipcode = s.CharField(allow_null=True)
    lat = s.FloatField(allow_null=True)
    long = s.FloatField(allow_null=True)
    media_url = s.CharField(allow_null=True)
    status_name = s.CharField(help_text="Bridge's own status, named in the language asked for.")
    locale = Locales()


class Open311Error(s.Serializer):
    code = s.IntegerField(help_text="The HTTP status, as the specification has it.")
    description = s.CharField()
    error = s.CharField(help_text="Bridge's stable code.")
    locale = s.CharField()
