from django import forms
from django.utils.translation import gettext_lazy as _

from feedback import selectors as feedback_selectors
from feedback.models import COMMENT_MAX_LENGTH
from languages.forms import LocalizedModelChoiceField

from .models import QUESTIONS, SCALE

HONEYPOT = "website"


def _scale_field(question: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=QUESTIONS[question],
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "scale-choice"}),
        error_messages={
            "required": _("Choose one answer for this statement."),
            "invalid_choice": _("Choose one answer for this statement."),
        },
    )


class SurveyForm(forms.Form):
    """Three statements on a five-point scale and an optional comment; no name, no address."""

    respect = _scale_field("respect")
    would_contact = _scale_field("would_contact")
    know_how = _scale_field("know_how")
    community = LocalizedModelChoiceField(
        queryset=None,
        required=False,
        label=_("Your community (optional)"),
        empty_label=_("I prefer not to say"),
        error_messages={"invalid_choice": _("Choose a community from the list, or “I prefer not to say”.")},
    )
    comment = forms.CharField(
        label=_("Anything you want to add (optional)"),
        help_text=_("Please do not write names or addresses. Staff read every comment."),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("Write %(limit_value)s characters or fewer.")},
    )
    # Honeypot: hidden from people by CSS and from screen readers; bots fill every field.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = feedback_selectors.communities()

    @property
    def is_spam(self) -> bool:
        return bool(self.is_bound and (self.data.get(HONEYPOT) or "").strip())


class CommentPublishForm(forms.Form):
    text = forms.CharField(
        label=_("The comment as it will be published"),
        help_text=_("Remove names, addresses, dates, places and anything else that could identify anyone."),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Write the comment as it should be published."),
            "max_length": _("Write %(limit_value)s characters or fewer."),
        },
    )
    confirm = forms.BooleanField(
        label=_("I have removed anything that could identify anyone."),
        error_messages={"required": _("Confirm that nothing in it can identify anyone.")},
    )


class CommentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("new", _("To read")),
            ("read", _("Read")),
            ("published", _("Published")),
            ("set_aside", _("Set aside")),
            ("all", _("All comments")),
        ],
    )
