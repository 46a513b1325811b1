import datetime as dt
import zoneinfo
from zoneinfo import ZoneInfo

from crispy_forms.bootstrap import Accordion, AccordionGroup
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Field, Fieldset, Layout, Row
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from agencies.conf import default_time_zone
from languages import content, registry
from languages.formatting import format_date
from languages.forms import LanguageSelect, LocalizedModelChoiceField, LocalizedModelMultipleChoiceField
from liaison.languages import LANGUAGE_CHOICES, language_name, language_name_local
from liaison.models import Liaison, Partner, PriorityCommunity

from . import services
from .models import OutreachEvent, SafetyAlert, Subscriber

CONTENT_LANGUAGES = [code for code, _name in settings.LANGUAGES]
TRANSLATED = ("title", "description", "venue_directions")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _time_zone_choices():
    zones = sorted(
        z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))
    )
    return [(z, z.replace("_", " ")) for z in zones]


class EventForm(forms.ModelForm):
    """Liaisons enter an event; its translated texts sit side by side, one column a language.
    Start and end are the wall-clock time in the event's own time zone."""

    start = forms.DateTimeField(
        label=_("Starts"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": _("Enter when the event starts."),
            "invalid": _("Enter a date and time."),
        },
    )
    end = forms.DateTimeField(
        label=_("Ends"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"required": _("Enter when the event ends."), "invalid": _("Enter a date and time.")},
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zone_choices)
    interpretation_languages = forms.MultipleChoiceField(
        label=_("Free interpretation offered"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    communities = LocalizedModelMultipleChoiceField(
        label=_("Audience communities"),
        queryset=PriorityCommunity.objects.none(),
        required=False,
        help_text=_("Their subscribers get the notices. None: every subscriber."),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"),
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hosts = forms.ModelMultipleChoiceField(
        label=_("Hosting liaisons"),
        queryset=Liaison.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Recorded attendance counts as a contact for each of them."),
    )

    class Meta:
        model = OutreachEvent
        fields = [
            "kind",
            *[content.column(name, code) for code in CONTENT_LANGUAGES for name in TRANSLATED],
            "venue_name",
            "address",
            "start",
            "end",
            "time_zone",
            "recurrence",
            "repeat_until",
            "language",
            "interpretation_languages",
            "communities",
            "partners",
            "hosts",
        ]
        widgets = {
            "repeat_until": DateInput(),
            **{
                content.column("description", c): forms.Textarea(attrs={"rows": 4}) for c in CONTENT_LANGUAGES
            },
            **{
                content.column("venue_directions", c): forms.Textarea(attrs={"rows": 2})
                for c in CONTENT_LANGUAGES
            },
        }
        error_messages = {
            "venue_name": {"required": _("Enter the name of the venue.")},
            "address": {"required": _("Enter the address.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["communities"].queryset = PriorityCommunity.objects.active_on(today)
        self.fields["partners"].queryset = Partner.objects.filter(is_active=True).only("id", "name")
        self.fields["hosts"].queryset = Liaison.objects.filter(is_active=True).select_related("user")
        self.fields["language"].choices = LANGUAGE_CHOICES
        for name in TRANSLATED:
            for code in CONTENT_LANGUAGES:
                field = self.fields[content.column(name, code)]
                field.label = f"{field.label.split(' [')[0]} ({language_name_local(code)})"
                field.widget.attrs.update({"lang": code, "dir": registry.get(code).direction})
                field.required = False
        default_title = content.column("title", settings.LANGUAGE_CODE)
        self.fields[default_title].required = True
        self.fields[default_title].error_messages["required"] = _(
            "Enter a title in %(language)s; other languages fall back to it."
        ) % {"language": language_name(settings.LANGUAGE_CODE)}
        if self.instance.pk:
            tz = self.instance.tz
            self.initial["start"] = self.instance.start.astimezone(tz).replace(tzinfo=None)
            self.initial["end"] = self.instance.end.astimezone(tz).replace(tzinfo=None)
        else:
            self.initial.setdefault("time_zone", default_time_zone())
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The default language first and open; every other language in its own panel
        # (16 languages side by side fit no screen), opened when it holds text.
        default = settings.LANGUAGE_CODE
        translated_rows = [
            *[Field(content.column(name, default)) for name in TRANSLATED],
            Accordion(
                *[
                    AccordionGroup(
                        language_name_local(code),
                        *[Field(content.column(name, code)) for name in TRANSLATED],
                        active=self._has_text(code),
                        css_id=f"translation-{code}",
                        lang=code,
                        dir=registry.get(code).direction,
                    )
                    for code in CONTENT_LANGUAGES
                    if code != default
                ],
                always_open=True,
            ),
        ]
        self.helper.layout = Layout(
            Field("kind"),
            Fieldset(
                _("What it is called, in each language"),
                HTML(
                    '<p class="form-text">{}</p>'.format(
                        _("Leave a language empty and its readers see the text in the default language.")
                    )
                ),
                *translated_rows,
            ),
            Fieldset(
                _("Where and when"),
                Row(
                    Column(Field("venue_name"), css_class="col-md-6"),
                    Column(Field("address"), css_class="col-md-6"),
                ),
                Row(
                    Column(Field("start"), css_class="col-md-4"),
                    Column(Field("end"), css_class="col-md-4"),
                    Column(Field("time_zone"), css_class="col-md-4"),
                ),
                Row(
                    Column(Field("recurrence"), css_class="col-md-6"),
                    Column(Field("repeat_until"), css_class="col-md-6"),
                ),
            ),
            Fieldset(
                _("Who it is for"),
                Field("language"),
                Div(Field("interpretation_languages"), css_class="checkbox-columns"),
                Div(Field("communities"), css_class="checkbox-columns"),
                Div(Field("partners"), css_class="checkbox-columns"),
                Div(Field("hosts"), css_class="checkbox-columns"),
            ),
        )

    def _has_text(self, code: str) -> bool:
        columns = [content.column(name, code) for name in TRANSLATED]
        if self.is_bound:
            return any(self.data.get(self.add_prefix(c)) for c in columns)
        return any(getattr(self.instance, c, None) for c in columns)

    def clean(self):
        data = super().clean()
        tz_name = data.get("time_zone")
        try:
            tz = ZoneInfo(tz_name) if tz_name else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            tz = None
        # The browser sends wall-clock time; Django read it in the server's zone. Re-read it
        # in the event's zone.
        for name in ("start", "end"):
            value = data.get(name)
            if value is not None and tz is not None:
                naive = timezone.make_naive(value) if timezone.is_aware(value) else value
                data[name] = naive.replace(tzinfo=tz)
        try:
            services.event_validate(
                start=data.get("start"),
                end=data.get("end"),
                time_zone=tz_name or "",
                recurrence=data.get("recurrence") or OutreachEvent.Recurrence.NONE,
                repeat_until=data.get("repeat_until"),
                interpretation_languages=data.get("interpretation_languages") or [],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field not in self.errors:
                    for error in errors:
                        self.add_error(field if field in self.fields else None, error)
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data[name] for name in self.Meta.fields if name not in ("communities", "partners", "hosts")
        }
        fields["interpretation_languages"] = list(data.get("interpretation_languages") or [])
        for name in TRANSLATED:
            for code in CONTENT_LANGUAGES:
                key = content.column(name, code)
                # Empty means "not translated": readers in that language get the default one.
                fields[key] = (fields.get(key) or "").strip()
        return fields


# More than any hall holds, well inside the database's integer: a typo gets a message, not a 500.
MAX_ATTENDANCE = 100_000


class AttendanceForm(forms.Form):
    # Made by the device (static/js/offline.js): the server applies each one once
    # (services.event_record_attendance_once).
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    date = forms.TypedChoiceField(label=_("Which meeting"), coerce=dt.date.fromisoformat)
    total = forms.IntegerField(
        label=_("People who came"),
        min_value=1,
        max_value=MAX_ATTENDANCE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        error_messages={
            "required": _("Enter how many people came."),
            "min_value": _("Enter how many people came (at least 1)."),
            "max_value": _("Enter a number up to %(limit_value)s."),
            "invalid": _("Enter a whole number, for example 25."),
        },
    )

    def __init__(self, *args, event: OutreachEvent, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        now = timezone.now()
        past = [o.astimezone(event.tz).date() for o in event.occurrences(limit=200) if o <= now]
        self.fields["date"].choices = [(d.isoformat(), format_date(d, "full")) for d in reversed(past)]
        self.communities = list(event.communities.all())
        for community in self.communities:
            self.fields[f"community_{community.pk}"] = forms.IntegerField(
                label=str(content.localized(community, "name")),
                min_value=0,
                max_value=MAX_ATTENDANCE,
                error_messages={"max_value": _("Enter a number up to %(limit_value)s.")},
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def by_community(self) -> dict:
        return {c: self.cleaned_data.get(f"community_{c.pk}") or 0 for c in self.communities}


class SubscribeForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How should we send the notices?"),
        choices=Subscriber.Channel.choices,
        widget=forms.RadioSelect,
        initial=Subscriber.Channel.EMAIL,
        error_messages={"required": _("Choose e-mail or text message.")},
    )
    email = forms.CharField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone number"),
        required=False,
        max_length=30,
        help_text=_("For example 412-555-0123, or +1 412 555 0123."),
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the notices"),
        choices=(),
        widget=LanguageSelect,
        error_messages={
            "required": _("Choose a language."),
            "invalid_choice": _("Choose a language from the list."),
        },
    )
    communities = LocalizedModelMultipleChoiceField(
        label=_("Which communities' meetings?"),
        queryset=PriorityCommunity.objects.none(),
        to_field_name="slug",
        required=False,
        help_text=_("Choose none to hear about every meeting."),
        error_messages={
            "invalid_choice": _("Choose communities from the list."),
            "invalid_pk_value": _("Choose communities from the list."),
        },
    )
    wants_meetings = forms.BooleanField(label=_("Meeting notices"), required=False, initial=True)
    wants_alerts = forms.BooleanField(
        label=_("Safety alerts for my communities"),
        required=False,
        initial=True,
        help_text=_("Warnings about a crime pattern or a scam that targets your community. A few a year."),
    )
    consent = forms.BooleanField(
        label="",
        error_messages={"required": _("Tick the box to say you want the notices.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [(c, language_name_local(c)) for c, _n in settings.LANGUAGES]
        self.fields["language"].initial = get_language()
        self.fields["communities"].queryset = PriorityCommunity.objects.active_on(timezone.localdate())
        self.fields["consent"].label = services.consent_text()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("channel"),
            Field("email"),
            Field("phone"),
            Field("language"),
            Div(Field("communities"), css_class="checkbox-columns"),
            Fieldset(_("What would you like to get?"), Field("wants_meetings"), Field("wants_alerts")),
            Field("consent"),
        )

    def clean(self):
        data = super().clean()
        if not data.get("wants_meetings") and not data.get("wants_alerts"):
            self.add_error("wants_meetings", _("Tick meeting notices, safety alerts or both: at least one."))
        channel = data.get("channel")
        if channel == Subscriber.Channel.EMAIL:
            if not (data.get("email") or "").strip():
                self.add_error("email", _("Enter your e-mail address."))
            else:
                try:
                    data["address"] = services.normalise_email(data["email"])
                except ValidationError as exc:
                    self.add_error("email", exc)
        elif channel == Subscriber.Channel.SMS:
            if not (data.get("phone") or "").strip():
                self.add_error("phone", _("Enter your mobile phone number."))
            else:
                try:
                    data["address"] = services.normalise_phone(data["phone"])
                except ValidationError as exc:
                    self.add_error("phone", exc)
        return data


class EventFilterForm(forms.Form):
    community = LocalizedModelChoiceField(
        queryset=PriorityCommunity.objects.none(),
        required=False,
        label=_("Community"),
        empty_label=_("All communities"),
        to_field_name="slug",
    )
    language = forms.ChoiceField(label=_("Interpretation into"), required=False)

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = PriorityCommunity.objects.active_on(timezone.localdate())
        self.fields["language"].choices = [("", _("Any language"))] + sorted(
            ((c, language_name(c)) for c in languages), key=lambda x: x[1]
        )


ALERT_TRANSLATED = ("title", "body", "advice")


class AlertForm(forms.ModelForm):
    """A liaison drafts a safety alert; its texts sit side by side, one column a language,
    the languages needed open and first."""

    communities = LocalizedModelMultipleChoiceField(
        label=_("Communities to warn"),
        queryset=PriorityCommunity.objects.none(),
        required=False,
        help_text=_("Their subscribers who asked for alerts get it."),
    )
    everyone = forms.BooleanField(
        label=_("Everyone: every subscriber who asked for alerts"),
        required=False,
        help_text=_("Tick this instead of choosing communities when the warning is for all."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages needed"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Write the headline at least in each of them; their columns open first."),
    )

    class Meta:
        model = SafetyAlert
        fields = [
            "kind",
            *[content.column(name, code) for code in CONTENT_LANGUAGES for name in ALERT_TRANSLATED],
            "area",
            "communities",
            "languages",
            "show_until",
        ]
        widgets = {
            "show_until": DateInput(),
            **{content.column("body", c): forms.Textarea(attrs={"rows": 4}) for c in CONTENT_LANGUAGES},
            **{content.column("advice", c): forms.Textarea(attrs={"rows": 3}) for c in CONTENT_LANGUAGES},
        }
        error_messages = {"area": {"required": _("Enter the area, for example “near Main Street”.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communities"].queryset = PriorityCommunity.objects.active_on(timezone.localdate())
        self.fields["languages"].choices = [(c, language_name_local(c)) for c in CONTENT_LANGUAGES]
        if self.instance.pk:
            self.initial.setdefault("everyone", not self.instance.communities.exists())
        default = settings.LANGUAGE_CODE
        for name in ALERT_TRANSLATED:
            for code in CONTENT_LANGUAGES:
                field = self.fields[content.column(name, code)]
                field.label = f"{field.label.split(' [')[0]} ({language_name_local(code)})"
                field.widget.attrs.update({"lang": code, "dir": registry.get(code).direction})
                field.required = code == default and name != "advice"
        for name, message in (
            ("title", _("Enter a headline in %(language)s; other languages fall back to it.")),
            ("body", _("Enter what people should know in %(language)s; other languages fall back to it.")),
        ):
            self.fields[content.column(name, default)].error_messages["required"] = message % {
                "language": language_name(default)
            }
        needed = self._needed()
        others = [c for c in CONTENT_LANGUAGES if c != default]
        ordered = [c for c in others if c in needed] + [c for c in others if c not in needed]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("kind"),
            Fieldset(
                _("Where"),
                Field("area"),
                HTML(
                    '<p class="form-text">{}</p>'.format(
                        _("Never name a person, and never give an address more precise than the area.")
                    )
                ),
            ),
            Fieldset(
                _("Who it is for"),
                Div(Field("communities"), css_class="checkbox-columns"),
                Field("everyone"),
                Div(Field("languages"), css_class="checkbox-columns"),
                Field("show_until"),
            ),
            Fieldset(
                _("What it says, in each language"),
                HTML(
                    '<p class="form-text">{}</p>'.format(
                        _("Leave a language empty and its readers see the text in the default language.")
                    )
                ),
                *[Field(content.column(name, default)) for name in ALERT_TRANSLATED],
                Accordion(
                    *[
                        AccordionGroup(
                            language_name_local(code),
                            *[Field(content.column(name, code)) for name in ALERT_TRANSLATED],
                            active=code in needed or self._has_text(code),
                            css_id=f"translation-{code}",
                            lang=code,
                            dir=registry.get(code).direction,
                        )
                        for code in ordered
                    ],
                    always_open=True,
                ),
            ),
        )

    def _needed(self) -> list[str]:
        if self.is_bound:
            return self.data.getlist(self.add_prefix("languages")) if hasattr(self.data, "getlist") else []
        return list(self.instance.languages or [])

    def _has_text(self, code: str) -> bool:
        columns = [content.column(name, code) for name in ALERT_TRANSLATED]
        if self.is_bound:
            return any(self.data.get(self.add_prefix(c)) for c in columns)
        return any(getattr(self.instance, c, None) for c in columns)

    def clean(self):
        data = super().clean()
        fields = {name: data.get(name) for name in self.Meta.fields if name != "communities"}
        try:
            services.alert_validate(
                fields=fields, communities=list(data.get("communities") or []), everyone=data.get("everyone")
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field not in self.errors:
                    for error in errors:
                        self.add_error(field if field in self.fields else None, error)
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields if name != "communities"}
        fields["languages"] = list(data.get("languages") or [])
        for name in ALERT_TRANSLATED:
            for code in CONTENT_LANGUAGES:
                key = content.column(name, code)
                fields[key] = (fields.get(key) or "").strip()
        return fields


class AlertSubmitForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("No one is named and no address more precise than the area is given."),
        error_messages={
            "required": _("Tick the box to confirm that no one is named and no precise address is given.")
        },
    )
