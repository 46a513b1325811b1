from django import forms
from django.utils.translation import gettext_lazy as _

from . import events


class TrailFilterForm(forms.Form):
    event = forms.ChoiceField(label=_("What"), required=False)
    actor = forms.CharField(label=_("Who (username)"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    object_type = forms.ChoiceField(label=_("Object type"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [("", _("Everything")), *events.LABELS.items()]
        self.fields["object_type"].choices = [("", _("All types")), *events.OBJECT_TYPES]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return data
