from django import forms
from django.utils.translation import gettext_lazy as _

from languages import content
from languages.forms import LocalizedModelChoiceField
from liaison.models import PriorityCommunity
from liaison.quarters import Quarter


class DashboardFilterForm(forms.Form):
    """Quarter (grouped by year), and optionally a unit or a community. Each field is checked
    on its own: a value that is not understood is dropped and named, the rest still applies."""

    quarter = forms.CharField(label=_("Quarter"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    community = LocalizedModelChoiceField(
        queryset=PriorityCommunity.objects.all(),
        required=False,
        label=_("Community"),
        empty_label=_("All communities"),
    )

    def __init__(self, *args, quarters=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.quarters = list(quarters)
        self.fields["quarter"].widget = forms.Select(choices=self._quarter_choices())
        for name in self.fields:
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["unit"].choices = [("", _("All units")), *((u, u) for u in units)]
        self.fields["community"].queryset = PriorityCommunity.objects.only(
            "id", *content.read_columns("name")
        ).order_by("name")

    def _quarter_choices(self):
        by_year: dict[int, list] = {}
        for q in self.quarters:
            by_year.setdefault(q.year, []).append((q.key, str(q)))
        return [(str(year), options) for year, options in by_year.items()]

    def clean_quarter(self):
        text = self.cleaned_data["quarter"]
        if not text:
            return None
        quarter = Quarter.parse(text)
        if quarter is None:
            raise forms.ValidationError(_("Choose a quarter such as 2025-Q2."))
        # Any well-formed quarter is accepted: one outside the records shows an empty state.
        if quarter not in self.quarters:
            self.quarters.append(quarter)
            self.fields["quarter"].widget.choices = self._quarter_choices()
        return quarter

    def accepted(self) -> tuple[dict, list[str]]:
        """The values that were understood, and the labels of the fields that were not."""
        self.is_valid()
        rejected = [str(self.fields[name].label) for name in self.errors]
        values = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return values, rejected
