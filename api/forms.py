from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import services
from .models import AccessToken

EXPIRY_DAYS = (7, 30, 90, 365)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What will use it, for example “Precinct reporting sheet”."),
        error_messages={"required": _("Name the token, for example after the tool that will use it.")},
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one thing the token may do."),
            "invalid_choice": _("Your role does not allow one of the chosen scopes."),
        },
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        initial=90,
        error_messages={
            "required": _("Choose when the token expires."),
            "invalid_choice": _("Choose when the token expires."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(AccessToken.Scope.choices)
        self.fields["scopes"].choices = [(s, labels[s]) for s in services.scopes_for(user)]
        self.fields["days"].choices = [
            (d, _("%(days)s days") % {"days": d}) for d in EXPIRY_DAYS if d <= settings.API_TOKEN_MAX_DAYS
        ]
