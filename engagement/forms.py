from django import forms
from django.utils.translation import gettext_lazy as _

from languages import content
from languages.formatting import format_date
from languages.forms import LocalizedCheckboxSelectMultiple, LocalizedModelMultipleChoiceField
from liaison import selectors as liaison_selectors
from liaison.languages import LANGUAGE_CHOICES
from liaison.models import Contact, Liaison
from outreach.models import OutreachEvent, SafetyAlert

from . import services
from .models import EngagementRequest

STATUS_FILTER = [("open", _("Open")), ("all", _("All")), *EngagementRequest.Status.choices]


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTER, required=False)


class RequestForm(forms.Form):
    """The phone-first request: what about, in a few words, which communities, the
    languages needed, how urgent, where, and what the unit should know."""

    kind = forms.ChoiceField(
        label=_("About"),
        choices=EngagementRequest.Kind.choices,
        initial=EngagementRequest.Kind.CRIME_PATTERN,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what the request is about."),
            "invalid_choice": _("Choose what the request is about."),
        },
    )
    subject = forms.CharField(
        label=_("In a few words"),
        max_length=services.SUBJECT_MAX,
        help_text=_("For example: robberies in the lobby of 40 Main Street."),
        error_messages={
            "required": _("Say in a few words what the unit should engage about."),
            "max_length": _("Write %(limit_value)s characters or fewer."),
        },
    )
    communities = LocalizedModelMultipleChoiceField(
        queryset=None,
        widget=LocalizedCheckboxSelectMultiple,
        label=_("Communities concerned"),
        error_messages={
            "required": _("Choose at least one community concerned."),
            "invalid_choice": _("A community you chose is no longer a priority. Choose again."),
        },
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages needed"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose the languages from the list.")},
    )
    urgency = forms.TypedChoiceField(
        label=_("How urgent"),
        choices=EngagementRequest.Urgency.choices,
        coerce=int,
        initial=EngagementRequest.Urgency.SOON,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how urgent it is."),
            "invalid_choice": _("Choose how urgent it is."),
        },
    )
    place = forms.CharField(
        label=_("Place (optional)"),
        required=False,
        max_length=services.PLACE_MAX,
        help_text=_("A building, a block, a school."),
        error_messages={"max_length": _("Write %(limit_value)s characters or fewer.")},
    )
    details = forms.CharField(
        label=_("What the unit should know (optional)"),
        required=False,
        max_length=services.TEXT_MAX,
        help_text=_("No names or details of private people."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Write %(limit_value)s characters or fewer.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communities"].queryset = liaison_selectors.active_communities().order_by("name")

    def request_fields(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.fields}


class LiaisonChoices(forms.CheckboxSelectMultiple):
    """Each liaison's checkbox says why they are suggested (aria-describedby its reasons)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        option["attrs"] = {**option["attrs"], "aria-describedby": f"reasons-{getattr(value, 'value', value)}"}
        return option


class AssignForm(forms.Form):
    liaisons = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Liaisons"),
        widget=LiaisonChoices,
        error_messages={
            "required": _("Choose at least one liaison."),
            "invalid_choice": _("A liaison you chose is no longer active. Choose again."),
        },
    )
    note = forms.CharField(
        label=_("Note for the liaisons (optional)"),
        required=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Write %(limit_value)s characters or fewer.")},
    )

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = list(suggestions)
        self.fields["liaisons"].queryset = Liaison.objects.filter(is_active=True).select_related("user")
        # In the suggestions' order, each labelled with the liaison's name.
        self.fields["liaisons"].choices = [(s.liaison.pk, s.liaison.display_name) for s in self.suggestions]


class MoveForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Move to"),
        choices=EngagementRequest.Status.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the new status."),
            "invalid_choice": _("Choose a status from the list."),
        },
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Write %(limit_value)s characters or fewer.")},
    )
    outcome = forms.CharField(
        label=_("What came of it (needed to close)"),
        required=False,
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Write %(limit_value)s characters or fewer.")},
    )

    def __init__(self, *args, moves=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(EngagementRequest.Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in moves]
        if len(moves) == 1 and not self.is_bound:
            self.initial["status"] = moves[0]


class LinkForm(forms.Form):
    contacts = forms.ModelMultipleChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        label=_("Contacts"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("A contact you chose cannot be linked. Choose again.")},
    )
    events = forms.ModelMultipleChoiceField(
        queryset=OutreachEvent.objects.none(),
        required=False,
        label=_("Events"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("An event you chose cannot be linked. Choose again.")},
    )
    alerts = forms.ModelMultipleChoiceField(
        queryset=SafetyAlert.objects.none(),
        required=False,
        label=_("Safety alerts"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("An alert you chose cannot be linked. Choose again.")},
    )

    def __init__(self, *args, contacts, events, alerts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = Contact.objects.filter(pk__in=[c.pk for c in contacts])
        self.fields["contacts"].choices = [(c.pk, _contact_label(c)) for c in contacts]
        self.fields["events"].queryset = OutreachEvent.objects.filter(pk__in=[e.pk for e in events])
        self.fields["events"].choices = [(e.pk, _event_label(e)) for e in events]
        self.fields["alerts"].queryset = SafetyAlert.objects.filter(pk__in=[a.pk for a in alerts])
        self.fields["alerts"].choices = [(a.pk, _alert_label(a)) for a in alerts]

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(k) for k in ("contacts", "events", "alerts")):
            raise forms.ValidationError(_("Choose at least one contact, event or alert to link."))
        return data


def _contact_label(c: Contact) -> str:
    return f"{format_date(c.date, 'medium')} · {c.get_kind_display()} · {c.liaison.display_name}"


def _event_label(e: OutreachEvent) -> str:
    return f"{format_date(e.start.date(), 'medium')} · {content.localized(e, 'title')}"


def _alert_label(a: SafetyAlert) -> str:
    when = format_date(a.sent_at.date(), "medium") if a.sent_at else ""
    return f"{when} · {content.localized(a, 'title')}"
