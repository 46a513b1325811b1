from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from languages.forms import (
    LocalizedCheckboxSelectMultiple,
    LocalizedModelChoiceField,
    LocalizedModelMultipleChoiceField,
)

from . import selectors, services
from .languages import LANGUAGE_CHOICES, language_name
from .models import Contact, Liaison, Partner, PriorityCommunity, Topic


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CommunityChoices(LocalizedCheckboxSelectMultiple):
    """Each community's checkbox says which language this liaison last used with it
    (data-last-language), so choosing the community can choose the language too."""

    last_languages: dict[int, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        language = self.last_languages.get(getattr(value, "value", value))
        if language:
            option["attrs"] = {**option["attrs"], "data-last-language": language}
        return option


class ContactForm(forms.ModelForm):
    """The one-minute contact log: sensible defaults, the liaison's own communities and
    languages first, large tap targets, one column on a phone."""

    communities = LocalizedModelMultipleChoiceField(
        queryset=PriorityCommunity.objects.none(),
        widget=CommunityChoices,
        label=_("Communities"),
        error_messages={
            "required": _("Choose at least one community."),
            "invalid_choice": _("A community you chose can no longer be logged. Choose again."),
        },
    )
    topics = LocalizedModelMultipleChoiceField(
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        label=_("Topics"),
    )

    # Made by the device (static/js/offline.js) when the liaison saves: the server logs each
    # one once, however many times the device sends it (services.contact_log_once).
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Contact
        fields = [
            "date",
            "kind",
            "communities",
            "people_reached",
            "language",
            "interpreter_used",
            "interpreter_detail",
            "partner",
            "topics",
            "follow_up_due",
            "notes",
        ]
        widgets = {
            "date": DateInput(),
            "follow_up_due": DateInput(),
            "kind": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "people_reached": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        }
        error_messages = {
            "kind": {"required": _("Choose what kind of contact it was.")},
            "date": {
                "required": _("Enter the date of the contact."),
                "invalid": _("Enter a real date, for example 2026-03-31."),
            },
            "people_reached": {
                "required": _("Enter how many people you reached."),
                "invalid": _("Enter a whole number, for example 12."),
            },
            "language": {"required": _("Choose the language used.")},
        }
        help_texts = {
            "notes": _("No names or personal details of community members."),
            "follow_up_due": _("Leave empty if no follow-up is needed."),
        }

    def contact_fields(self) -> dict:
        """The cleaned values the contact services take (contact_log, contact_update)."""
        return {k: self.cleaned_data[k] for k in self.Meta.fields}

    def __init__(self, *args, liaison: Liaison | None = None, partner: Partner | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.liaison = liaison
        self.meeting_of = partner  # a regular meeting attended (a council): logged like any contact
        self.fields["communities"].queryset = selectors.communities_for_logging(liaison)
        self.last_languages = selectors.last_language_by_community(liaison)
        self.fields["communities"].widget.last_languages = self.last_languages
        self.fields["partner"].queryset = Partner.objects.filter(is_active=True).only("id", "name")
        self.fields["kind"].choices = Contact.Kind.choices
        own = selectors.liaison_languages(liaison)
        others = [(c, n) for c, n in LANGUAGE_CHOICES if c not in own]
        self.fields["language"].choices = (
            [
                ("", "---------"),
                (_("Your languages"), [(c, language_name(c)) for c in own]),
                (_("Other languages"), others),
            ]
            if own
            else [("", "---------"), *LANGUAGE_CHOICES]
        )
        if not self.instance.pk and not self.is_bound:
            if partner:
                self._set_meeting(partner)
            self._set_defaults(own)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("client_id"),
            Field("date"),
            Field("kind"),
            Field("communities"),
            Field("people_reached"),
            Field("language"),
            # Optional details fold away so a routine visit is a few taps and "Save"; the
            # section opens by itself when it holds a value or an error.
            HTML(
                '<details class="more-details mb-3"{% if form.more_open %} open{% endif %}>'
                '<summary class="btn btn-outline-secondary w-100 mb-3">{{ form.more_label }}</summary>'
            ),
            Div(Field("interpreter_used"), Field("interpreter_detail"), css_class="interpreter"),
            Field("partner"),
            Field("topics"),
            Field("follow_up_due"),
            Field("notes"),
            HTML("</details>"),
        )

    more_label = _("More details (optional): interpreter, partner, topics, follow-up, notes")
    MORE = ("interpreter_used", "interpreter_detail", "partner", "topics", "follow_up_due", "notes")

    @property
    def more_open(self) -> bool:
        if any(name in self.errors for name in self.MORE):
            return True
        if self.meeting_of and not self.is_bound:
            return True
        source = self.data if self.is_bound else {}
        if self.is_bound:
            return any(source.get(name) for name in self.MORE)
        return bool(
            self.instance.pk
            and (
                self.instance.interpreter_used
                or self.instance.partner_id
                or self.instance.follow_up_due
                or self.instance.notes
            )
        )

    def clean(self):
        data = super().clean()
        # The same rules the service enforces, shown next to each field in the user's language.
        try:
            services.contact_validate(
                date=data.get("date"),
                communities=data.get("communities") or [],
                people_reached=data.get("people_reached"),
                follow_up_due=data.get("follow_up_due"),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field not in self.errors:
                    for error in errors:
                        self.add_error(field, error)
        return data

    def _set_meeting(self, partner: Partner) -> None:
        """Attendance at a partner's meeting: a formal meeting with that partner, for the
        communities it serves that can be logged; the rest as for any contact."""
        loggable = set(self.fields["communities"].queryset.values_list("id", flat=True))
        served = [c.pk for c in partner.communities.all() if c.pk in loggable]
        self.initial["kind"] = Contact.Kind.FORMAL_MEETING
        self.initial["partner"] = partner.pk
        if served:
            self.initial["communities"] = served

    def _set_defaults(self, own_languages: list[str]) -> None:
        """A routine contact is a few taps: today, people reached 1, the kind this liaison
        logged last, their one community ticked, and the language they last used with it
        (with a community chosen later, static/js/contact_form.js does the same)."""
        self.initial.setdefault("date", timezone.localdate())
        self.initial.setdefault("people_reached", 1)
        last = selectors.last_contact(self.liaison)
        mine = selectors.current_community_ids(self.liaison) if self.liaison else []
        if last:
            self.initial.setdefault("kind", last.kind)
        if len(mine) == 1:
            self.initial.setdefault("communities", mine)
        language = self.last_languages.get(mine[0]) if len(mine) == 1 else None
        if language:
            self.initial.setdefault("language", language)
        elif last:
            self.initial.setdefault("language", last.language)
        elif own_languages:
            self.initial.setdefault("language", own_languages[0])


class ContactFilterForm(forms.Form):
    quarter = forms.ChoiceField(label=_("Quarter"), required=False)
    community = LocalizedModelChoiceField(
        queryset=PriorityCommunity.objects.none(),  # the request's agency's, in __init__
        required=False,
        label=_("Community"),
        empty_label=_("All communities"),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    language = forms.ChoiceField(
        label=_("Language used"), required=False, choices=[("", _("All languages")), *LANGUAGE_CHOICES]
    )
    liaison = forms.ModelChoiceField(
        queryset=Liaison.objects.none(), required=False, label=_("Liaison"), empty_label=_("All liaisons")
    )
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    interpreter = forms.ChoiceField(
        label=_("Interpreter"),
        required=False,
        choices=[("", _("With or without")), ("yes", _("Interpreter used")), ("no", _("No interpreter"))],
    )

    def __init__(self, *args, quarters=(), show_liaisons=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [("", _("All quarters"))] + [(q.key, str(q)) for q in quarters]
        self.fields["kind"].choices = [("", _("All kinds")), *Contact.Kind.choices]
        # Made here, not when the module is imported: a module first imported during a request
        # would otherwise keep that request's agency in its choices for every later one.
        self.fields["community"].queryset = PriorityCommunity.objects.all()
        if show_liaisons:
            # By unit, then name: the filter groups them so (liaison.views._liaison_select).
            self.fields["liaison"].queryset = Liaison.objects.select_related("user").order_by(
                "unit", "user__last_name", "user__first_name", "pk"
            )
            units = (
                Liaison.objects.exclude(unit="").order_by("unit").values_list("unit", flat=True).distinct()
            )
            self.fields["unit"].choices = [("", _("All units"))] + [(u, u) for u in units]
        else:
            del self.fields["liaison"]
            del self.fields["unit"]


class DirectoryFilterForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False)
    community = LocalizedModelChoiceField(
        queryset=PriorityCommunity.objects.none(),
        required=False,
        label=_("Community"),
        empty_label=_("All communities"),
        to_field_name="slug",
    )

    def __init__(self, *args, languages=(), communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("All languages"))] + sorted(
            ((c, language_name(c)) for c in languages), key=lambda x: x[1]
        )
        self.fields["community"].queryset = communities
