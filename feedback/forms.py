from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from languages import content, registry
from languages.forms import LanguageSelect, LocalizedModelChoiceField, LocalizedRadioSelect

from . import selectors, services
from .models import COMMENT_MAX_LENGTH, Concern

HONEYPOT = "website"


def language_choices() -> list[tuple[str, str]]:
    """Each language named in itself, as a person choosing their own would look for it."""
    out = []
    for code, _name in settings.LANGUAGES:
        local = get_language_info(code)["name_local"]
        out.append((code, local[:1].upper() + local[1:]))
    return out


class ConcernForm(forms.Form):
    """The public form. There is no name field, on purpose: anonymous is the default."""

    category = LocalizedModelChoiceField(
        queryset=None,
        widget=LocalizedRadioSelect,
        empty_label=None,
        label=_("What is it about?"),
        error_messages={
            "required": _("Choose what your message is about."),
            "invalid_choice": _("Choose one of the categories in the list."),
        },
    )
    text = forms.CharField(
        label=_("What happened?"),
        help_text=_("Tell us what happened, when, and what you would like us to do. Do not write names."),
        widget=forms.Textarea(attrs={"rows": 7}),
        required=False,  # checked in clean() with a clearer message than "required"
        strip=False,
    )
    community = LocalizedModelChoiceField(
        queryset=None,
        required=False,
        label=_("Your community (optional)"),
        empty_label=_("I prefer not to say"),
        error_messages={"invalid_choice": _("Choose a community from the list, or “I prefer not to say”.")},
    )
    place = forms.CharField(
        label=_("Neighbourhood or place (optional)"),
        help_text=_("For example a street, a park or a bus stop."),
        required=False,
        strip=False,
    )
    contact_method = forms.ChoiceField(
        label=_("Should we answer you?"),
        choices=Concern.ContactMethod.choices,
        initial=Concern.ContactMethod.NONE,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how we should answer you."),
            "invalid_choice": _("Choose how we should answer you."),
        },
    )
    email = forms.CharField(
        label=_("E-mail address"),
        help_text=_("Only if you chose e-mail."),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Phone number for text messages"),
        help_text=_("Only if you chose phone."),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    language = forms.ChoiceField(
        label=_("Language for our answer"),
        choices=(),
        widget=LanguageSelect,
        error_messages={
            "required": _("Choose a language from the list."),
            "invalid_choice": _("Choose a language from the list."),
        },
    )
    # Honeypot: hidden from people by CSS and from screen readers; bots fill every field.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    # Passed to the layout as a variable: a {% translate %} inside a Python string is never
    # extracted into the catalogues.
    reach_hint = _("You do not have to give your name or any contact details.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.categories()
        self.fields["community"].queryset = selectors.communities()
        self.fields["language"].choices = language_choices()
        if not self.is_bound:
            page_language = registry.get(get_language() or settings.LANGUAGE_CODE).code
            if page_language in dict(settings.LANGUAGES):
                self.initial.setdefault("language", page_language)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("category"),
            Field("text"),
            Field("community"),
            Field("place"),
            Fieldset(
                _("How to reach you"),
                HTML('<p class="form-text mb-2">{{ form.reach_hint }}</p>'),
                Field("contact_method"),
                Field("email"),
                Field("phone"),
                Field("language"),
                css_class="contact-fieldset",
            ),
            Div(Field(HONEYPOT), css_class="hp-field", aria_hidden="true"),
        )

    @property
    def is_spam(self) -> bool:
        return bool(self.is_bound and (self.data.get(HONEYPOT) or "").strip())

    def clean(self):
        data = super().clean()
        try:
            values = services.concern_clean(
                text=data.get("text") or "",
                place=data.get("place") or "",
                contact_method=data.get("contact_method") or "",
                email=data.get("email") or "",
                phone=data.get("phone") or "",
                language=data.get("language") or "",
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field not in self.errors:
                    for error in errors:
                        self.add_error(field, error)
        else:
            data.update(values)
        return data


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        help_text=_("It looks like K7QM-4XPT-9H. Small letters and missing dashes are fine."),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "dir": "ltr"}
        ),
        error_messages={
            "required": _("Enter your tracking code."),
            "max_length": _("A tracking code has 10 letters and numbers, like K7QM-4XPT-9H."),
        },
    )

    def clean_code(self):
        from . import codes

        value = self.cleaned_data["code"]
        if codes.normalise(value) is None:
            raise ValidationError(_("A tracking code has 10 letters and numbers, like K7QM-4XPT-9H."))
        return value


class FollowUpForm(forms.Form):
    """ "Was it resolved?", answered from the link in the follow-up message."""

    resolved = forms.TypedChoiceField(
        label=_("Was your concern resolved?"),
        choices=[("yes", _("Yes, it was resolved")), ("no", _("No, it was not resolved"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether it was resolved.")},
    )
    comment = forms.CharField(
        label=_("Anything you want to add (optional)"),
        help_text=_("Please do not write names. If it was not resolved, the liaison officer reads this."),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Write %(limit_value)s characters or fewer.")},
    )


# --- Staff ---------------------------------------------------------------------------------

AGE_CHOICES = [
    ("", _("Any age")),
    ("7", _("More than 7 days old")),
    ("30", _("More than 30 days old")),
    ("90", _("More than 90 days old")),
]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = LocalizedModelChoiceField(
        queryset=None, required=False, label=_("Category"), empty_label=_("All categories")
    )
    community = LocalizedModelChoiceField(
        queryset=None, required=False, label=_("Community"), empty_label=_("All communities")
    )
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    age = forms.ChoiceField(label=_("Age"), required=False, choices=AGE_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from liaison.models import PriorityCommunity

        from .models import ConcernCategory

        self.fields["status"].choices = [
            (selectors.OPEN, _("Open (received or in review)")),
            ("all", _("All statuses")),
            *Concern.Status.choices,
        ]
        self.fields["category"].queryset = ConcernCategory.objects.all()
        self.fields["community"].queryset = PriorityCommunity.objects.all()
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            (selectors.UNASSIGNED, _("Nobody yet")),
            *[(str(lz.pk), lz.display_name) for lz in selectors.assignable_liaisons()],
        ]


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Assigned to"), empty_label=_("Nobody")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors.assignable_liaisons()


def response_languages(concern: Concern) -> list[str]:
    """The submitter's language first, then the others in settings order."""
    codes = [c for c, _n in settings.LANGUAGES]
    return [concern.language, *[c for c in codes if c != concern.language]]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Concern.Status.choices)
    reason = forms.CharField(
        label=_("Why it is not actionable"),
        help_text=_("Needed only for “Not actionable”. The submitter can read it."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, concern: Concern, **kwargs):
        super().__init__(*args, **kwargs)
        self.concern = concern
        self.languages = response_languages(concern)
        names = dict(language_choices())
        for i, code in enumerate(self.languages):
            label = _("Public response in %(language)s") % {"language": names[code]}
            if i == 0:
                label = _("%(label)s (the submitter's language)") % {"label": label}
            self.fields[f"response_{code}"] = forms.CharField(
                label=label,
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 4, "lang": code, "dir": "auto"}),
            )
            self.initial.setdefault(
                f"response_{code}", getattr(concern, content.column("public_response", code), "")
            )
        self.initial.setdefault("status", concern.status)
        self.initial.setdefault("reason", concern.not_actionable_reason)

    def response_fields(self):
        return [self[f"response_{code}"] for code in self.languages]

    def responses(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"response_{code}", "") for code in self.languages}


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        help_text=_("Only staff can read notes. They are never shown to the public."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Write the note.")},
    )


class PublishForm(forms.Form):
    published = forms.BooleanField(label=_("Show on “You said, we did”"), required=False)

    def __init__(self, *args, concern: Concern, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = response_languages(concern)
        names = dict(language_choices())
        for code in self.languages:
            self.fields[f"summary_{code}"] = forms.CharField(
                label=_("Public summary in %(language)s") % {"language": names[code]},
                help_text=_(
                    "What people said and what we did, without names or details that identify anyone."
                ),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3, "lang": code, "dir": "auto"}),
            )
            self.initial.setdefault(
                f"summary_{code}", getattr(concern, content.column("public_summary", code), "")
            )
        self.initial.setdefault("published", concern.published)

    def summary_fields(self):
        return [self[f"summary_{code}"] for code in self.languages]

    def summaries(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"summary_{code}", "") for code in self.languages}
