from crispy_forms.bootstrap import Accordion, AccordionGroup
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from languages import content, registry

from .models import Policy, PolicyVersion
from .services import TRANSLATED

CONTENT_LANGUAGES = [code for code, _name in settings.LANGUAGES]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _text_field(name: str, code: str) -> forms.Field:
    local = registry.get(code).name_local
    attrs = {"lang": code, "dir": registry.get(code).direction}
    if name == "title":
        return forms.CharField(
            label=_("Title (%(language)s)") % {"language": local},
            max_length=PolicyVersion._meta.get_field("title").max_length,
            required=False,
            widget=forms.TextInput(attrs=attrs),
        )
    if name == "summary":
        return forms.CharField(
            label=_("Summary (%(language)s)") % {"language": local},
            required=False,
            help_text=_("Two or three sentences; the home page shows them."),
            widget=forms.Textarea(attrs={**attrs, "rows": 3}),
        )
    return forms.CharField(
        label=_("Text (%(language)s)") % {"language": local},
        required=False,
        help_text=_("Plain text; an empty line starts a new paragraph."),
        widget=forms.Textarea(attrs={**attrs, "rows": 10}),
    )


class PolicyTextsForm(forms.Form):
    """A version's texts, every language side by side: the default language first and open,
    each other language in its own panel (opened when it holds text)."""

    effective_on = forms.DateField(
        label=_("In effect from"),
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": _("Enter the date this version takes effect."),
        },
    )
    change_note = forms.CharField(
        label=_("What changed"),
        max_length=PolicyVersion._meta.get_field("change_note").max_length,
        required=False,
        help_text=_("One sentence readers see beside the earlier versions."),
    )
    head_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = settings.LANGUAGE_CODE
        language = _(registry.get(default).name)
        for name in TRANSLATED:
            for code in CONTENT_LANGUAGES:
                self.fields[content.column(name, code)] = _text_field(name, code)
        title = self.fields[content.column("title", default)]
        title.required = True
        title.error_messages["required"] = _(
            "Enter a title in %(language)s; other languages fall back to it."
        ) % {"language": language}
        body = self.fields[content.column("body", default)]
        body.required = True
        body.error_messages["required"] = _(
            "Enter the text in %(language)s; other languages fall back to it."
        ) % {"language": language}
        self.initial.setdefault("effective_on", timezone.localdate())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's form carries the token
        self.helper.layout = Layout(
            *[Field(name) for name in self.head_fields],
            Fieldset(
                _("The text, in each language"),
                HTML(
                    '<p class="form-text">{}</p>'.format(
                        _("Leave a language empty and its readers see the text in the default language.")
                    )
                ),
                *[Field(content.column(name, default)) for name in TRANSLATED],
                Accordion(
                    *[
                        AccordionGroup(
                            # Folded panels say which languages still lack a text.
                            registry.get(code).name_local
                            if self._has_text(code)
                            else "{} · {}".format(registry.get(code).name_local, _("no text yet")),
                            *[Field(content.column(name, code)) for name in TRANSLATED],
                            active=self._open(code),
                            css_id=f"translation-{code}",
                            lang=code,
                            dir=registry.get(code).direction,
                        )
                        for code in CONTENT_LANGUAGES
                        if code != default
                    ],
                    always_open=True,
                ),
            ),
            Row(
                Column(Field("effective_on"), css_class="col-md-4"),
                Column(Field("change_note"), css_class="col-md-8"),
            ),
        )

    def _open(self, code: str) -> bool:
        """A language's panel starts folded: a new version arrives with every language filled
        in from the current one, and sixteen open panels make a page no one can scroll.
        A panel holding an error opens by itself."""
        return self.is_bound and any(content.column(name, code) in self.errors for name in TRANSLATED)

    def _has_text(self, code: str) -> bool:
        columns = [content.column(name, code) for name in TRANSLATED]
        if self.is_bound:
            return any(self.data.get(self.add_prefix(c)) for c in columns)
        return any(self.initial.get(c) for c in columns)

    def texts(self) -> dict[str, dict[str, str]]:
        """{"title": {"en": ..., "ar": ...}, "summary": ..., "body": ...} for the service."""
        data = self.cleaned_data
        return {
            name: {code: data.get(content.column(name, code)) or "" for code in CONTENT_LANGUAGES}
            for name in TRANSLATED
        }


class PolicyVersionForm(PolicyTextsForm):
    """The next version of a page, pre-filled with the current one's texts."""

    def __init__(self, *args, current: PolicyVersion | None = None, **kwargs):
        if current is not None:
            initial = {
                content.column(name, code): getattr(current, content.column(name, code), None) or ""
                for name in TRANSLATED
                for code in CONTENT_LANGUAGES
            }
            kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["change_note"].required = True
        self.fields["change_note"].error_messages["required"] = _(
            "Say in one sentence what changed; readers see it beside the earlier versions."
        )


class PolicyCreateForm(PolicyTextsForm):
    head_fields = ("kind", "slug", "position")

    kind = forms.ChoiceField(
        label=_("Kind of page"),
        choices=Policy.Kind.choices,
        error_messages={"required": _("Choose what kind of page this is.")},
    )
    slug = forms.SlugField(
        label=_("Address"),
        max_length=Policy._meta.get_field("slug").max_length,
        help_text=_(
            "Letters, digits and hyphens, for example confidentiality. It is printed on flyers: it never changes."
        ),
        error_messages={
            "required": _("Enter the page's address, for example confidentiality."),
            "invalid": _("Use only letters, digits and hyphens, for example confidentiality."),
        },
    )
    position = forms.IntegerField(
        label=_("Position in the list"),
        min_value=0,
        max_value=32767,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        error_messages={"invalid": _("Enter a whole number, for example 25.")},
    )
