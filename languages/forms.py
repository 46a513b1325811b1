"""Choice fields whose labels are content (community, category, topic names): each label in
the reader's language or its fallback, and a fallback label carries its own lang and dir
(on the <option>, or around the text of a radio button's or checkbox's label)."""

from django import forms
from django.core.exceptions import ValidationError

from . import content, registry


class LocalizedLabelsMixin:
    content_field = "name"

    def label_from_instance(self, obj):
        return content.localized(obj, self.content_field)


def _mark(option: dict, label) -> dict:
    if isinstance(label, content.Localized):
        content.note_fallback(label)  # the page says once that some text is not translated
        if label.is_fallback:
            option["label_lang"], option["label_dir"] = label.language, label.direction
            option["attrs"] = {**option["attrs"], "lang": label.language, "dir": label.direction}
        option["label"] = label.text
    return option


class LocalizedOptionsMixin:
    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        return _mark(option, label)


class LocalizedSelect(LocalizedOptionsMixin, forms.Select):
    pass


class LocalizedRadioSelect(LocalizedOptionsMixin, forms.RadioSelect):
    pass


class LocalizedCheckboxSelectMultiple(LocalizedOptionsMixin, forms.CheckboxSelectMultiple):
    pass


class LocalizedModelChoiceField(LocalizedLabelsMixin, forms.ModelChoiceField):
    widget = LocalizedSelect


class LocalizedModelMultipleChoiceField(LocalizedLabelsMixin, forms.ModelMultipleChoiceField):
    widget = LocalizedCheckboxSelectMultiple


class NamedInItselfMixin:
    """A choice of languages whose options are each named in that language: each option
    says so (lang, dir), so a screen reader reads "العربية" with an Arabic voice."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if value in registry.BY_CODE:
            lang = registry.BY_CODE[value]
            option["attrs"] = {**option["attrs"], "lang": lang.code, "dir": lang.direction}
        return option


class LanguageSelect(NamedInItselfMixin, forms.Select):
    pass


class LanguageCheckboxes(NamedInItselfMixin, forms.CheckboxSelectMultiple):
    pass


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal (its messages already in the reader's language) on the form: each
    message beside its field, or above the form for what the form has no field for."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
