"""The agency's own settings, as its coordinator edits them. Each field left empty keeps the
deployment's default (bridge/settings.py), which the field's help text names."""

import zoneinfo

import phonenumbers
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from agencies.models import RATE, Agency
from languages import registry
from languages.forms import LanguageCheckboxes, LanguageSelect

LOGO_MAX_BYTES = 1024 * 1024
LOGO_FORMATS = ("PNG", "JPEG")


def _language_choices():
    return [(lang.code, lang.name_local) for lang in registry.LANGUAGES]


def _time_zone_choices():
    zones = sorted(
        z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))
    )
    return [("", _("The deployment's default")), *[(z, z.replace("_", " ")) for z in zones]]


def _month_choices():
    return [("", _("The deployment's default")), *[(str(n), name) for n, name in MONTHS.items()]]


def _default(value) -> str:
    # Help text is written into the page as HTML (crispy renders it |safe): the value is escaped,
    # so a sender such as "Bridge <bridge@county.example>" reads as written, and isolated, so
    # "5/h" or "America/New_York" keeps its order in a right-to-left sentence.
    return _("Left empty: %(default)s.") % {"default": format_html("<bdi>{}</bdi>", value)}


def _untouched_default_name() -> str:
    with override("en"):
        return str(settings.BRIDGE_UNIT_NAME)


class AgencySettingsForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=Agency._meta.get_field("name").max_length, required=False
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("A PNG or JPEG picture of at most 1 MB, shown beside the name at the top of every page."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages offered"),
        choices=_language_choices,
        widget=LanguageCheckboxes,
        error_messages={"required": _("Offer at least one language.")},
    )
    default_language = forms.ChoiceField(label=_("Default language"), required=False, widget=LanguageSelect)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zone_choices, required=False)
    quarter_start_month = forms.TypedChoiceField(
        label=_("First month of the reporting year"),
        choices=_month_choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    concern_contact_retention_days = forms.IntegerField(
        label=_("Days a closed concern keeps its contact details"),
        min_value=1,
        max_value=3650,
        required=False,
    )
    message_address_retention_days = forms.IntegerField(
        label=_("Days a sent message keeps its address"), min_value=1, max_value=3650, required=False
    )
    sender_email = forms.EmailField(
        label=_("Sender address"),
        required=False,
        error_messages={"invalid": _("Enter an e-mail address such as bridge@example.org.")},
    )
    sms_number = forms.CharField(label=_("SMS number"), max_length=20, required=False)
    submit_rate = forms.CharField(
        label=_("New concerns per address"), max_length=16, required=False, validators=[RATE]
    )
    track_rate = forms.CharField(
        label=_("Tracking look-ups per address"), max_length=16, required=False, validators=[RATE]
    )
    signup_rate = forms.CharField(
        label=_("Meeting-notice sign-ups per address"), max_length=16, required=False, validators=[RATE]
    )

    FIELDS = (
        "name",
        "languages",
        "default_language",
        "time_zone",
        "quarter_start_month",
        "concern_contact_retention_days",
        "message_address_retention_days",
        "sender_email",
        "sms_number",
        "submit_rate",
        "track_rate",
        "signup_rate",
    )

    def __init__(self, *args, agency: Agency, **kwargs):
        self.agency = agency
        initial = {name: getattr(agency, name) for name in self.FIELDS}
        declared = [code for code, _name in _language_choices()]
        initial["languages"] = [c for c in agency.languages if c in declared] or declared
        if initial["name"] == _untouched_default_name():
            initial["name"] = ""
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["default_language"].choices = [("", _("The deployment's default")), *_language_choices()]
        self._default_help()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Name and logo"), Field("name"), Field("logo"), *(["remove_logo"] if agency.logo else [])
            ),
            Fieldset(_("Languages"), Field("languages"), Field("default_language")),
            Fieldset(
                _("Time"),
                Row(
                    Column(Field("time_zone"), css_class="col-md-6"),
                    Column(Field("quarter_start_month"), css_class="col-md-6"),
                ),
            ),
            Fieldset(
                _("How long personal details are kept"),
                Row(
                    Column(Field("concern_contact_retention_days"), css_class="col-md-6"),
                    Column(Field("message_address_retention_days"), css_class="col-md-6"),
                ),
            ),
            Fieldset(
                _("Messages sent"),
                Row(
                    Column(Field("sender_email"), css_class="col-md-6"),
                    Column(Field("sms_number"), css_class="col-md-6"),
                ),
            ),
            Fieldset(
                _("Limits per address, against floods"),
                Row(
                    Column(Field("submit_rate"), css_class="col-md-4"),
                    Column(Field("track_rate"), css_class="col-md-4"),
                    Column(Field("signup_rate"), css_class="col-md-4"),
                ),
            ),
        )
        if not agency.logo:
            del self.fields["remove_logo"]

    def _default_help(self):
        month = MONTHS.get(int(settings.BRIDGE_FISCAL_YEAR_START_MONTH), "")
        defaults = {
            "name": settings.BRIDGE_UNIT_NAME,
            "default_language": registry.get(settings.LANGUAGE_CODE).name_local,
            "time_zone": settings.TIME_ZONE,
            "quarter_start_month": month,
            "concern_contact_retention_days": settings.FEEDBACK_CONTACT_RETENTION_DAYS,
            "message_address_retention_days": settings.MESSAGING_ADDRESS_RETENTION_DAYS,
            "sender_email": settings.DEFAULT_FROM_EMAIL,
            "sms_number": settings.TWILIO_FROM or _("none"),
            "submit_rate": settings.FEEDBACK_SUBMIT_RATE,
            "track_rate": settings.FEEDBACK_TRACK_RATE,
            "signup_rate": settings.OUTREACH_SIGNUPS_RATE,
        }
        for name, value in defaults.items():
            self.fields[name].help_text = _default(value)
        self.fields["languages"].help_text = _("Each page is offered in these languages only.")
        self.fields["sms_number"].help_text = _("In international form, e.g. %(example)s. %(default)s") % {
            # Isolated, so a right-to-left sentence keeps the plus sign in front of the number.
            "example": format_html("<bdi>{}</bdi>", "+14125550100"),
            "default": _default(defaults["sms_number"]),
        }
        for name in ("submit_rate", "track_rate", "signup_rate"):
            self.fields[name].help_text = _("A number, a slash and s, m, h or d. %(default)s") % {
                "default": _default(defaults[name])
            }

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return upload
        if upload.size > LOGO_MAX_BYTES:
            raise ValidationError(_("The logo is larger than 1 MB: choose a smaller picture."))
        from PIL import Image  # noqa: PLC0415 - Pillow is loaded only when a logo is sent

        try:
            with Image.open(upload) as image:
                kind = image.format
                image.verify()
        except Exception:  # noqa: BLE001 - any file Pillow cannot read is not a picture
            kind = None
        if kind not in LOGO_FORMATS:
            raise ValidationError(_("The logo must be a PNG or JPEG picture."))
        upload.seek(0)
        # Named by what it is, not by what it was called: the logo view's type follows it.
        upload.name = "logo.png" if kind == "PNG" else "logo.jpg"
        return upload

    def clean_sms_number(self):
        raw = self.cleaned_data.get("sms_number", "").strip()
        if not raw:
            return ""
        try:
            number = phonenumbers.parse(raw, None)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ValidationError(_("Enter the number in international form, with + and the country code."))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean(self):
        data = super().clean()
        offered = data.get("languages") or []
        chosen = data.get("default_language")
        if offered and chosen and chosen not in offered:
            self.add_error("default_language", _("Choose a default language among those offered."))
        elif offered and not chosen and settings.LANGUAGE_CODE not in offered:
            self.add_error(
                "default_language",
                _("The deployment's default language is not offered: choose one of those offered."),
            )
        return data

    def changes(self) -> dict:
        """The agency's new values, as its fields store them (empty: the deployment's)."""
        data = self.cleaned_data
        values = {name: data.get(name) for name in self.FIELDS}
        for name in ("name", "default_language", "time_zone", "sender_email", "sms_number"):
            values[name] = values[name] or ""
        for name in ("submit_rate", "track_rate", "signup_rate"):
            values[name] = (values[name] or "").strip()
        # Empty keeps the deployment's default name, translated for each reader (agencies.conf).
        values["name"] = values["name"].strip() or _untouched_default_name()
        # Every declared language ticked: stored as "all", so a language the deployment adds
        # later is offered too.
        declared = [code for code, _name in _language_choices()]
        values["languages"] = (
            []
            if set(values["languages"]) == set(declared)
            else [code for code in declared if code in values["languages"]]
        )
        return values
