"""{% localized obj "title" %}: a content text in the reader's language, or in the language
it falls back to, marked with its own lang and dir. A page showing any fallback says once
that some text is not yet translated (languages.middleware.FallbackNoteMiddleware)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .. import content, formatting, registry

register = template.Library()


@register.simple_tag
def localized(obj, field, tag="span"):
    value = content.localized(obj, field)
    content.note_fallback(value)
    return render_to_string("languages/_localized.html", {"value": value, "tag": tag})


@register.simple_tag
def get_localized(obj, field):
    """{% get_localized event "description" as description %}: the Localized itself, for a
    template that formats the text (linebreaks) and sets lang/dir on its own element."""
    value = content.localized(obj, field)
    content.note_fallback(value)
    return value


@register.simple_tag
def localize_value(value):
    """Mark a Localized a selector already computed."""
    if not isinstance(value, content.Localized):
        return value
    content.note_fallback(value)
    return render_to_string("languages/_localized.html", {"value": value, "tag": "span"})


@register.filter
def language_direction(code):
    return registry.get(code).direction


# Dates, times and numbers from CLDR in the active language (languages.formatting).
@register.filter
def ldate(value, width="long"):
    return formatting.format_date(value, width)


@register.filter
def ltime(value):
    return formatting.format_time(value)


@register.filter
def ldatetime(value, width="medium"):
    return formatting.format_datetime(value, width)


@register.filter
def lnumber(value):
    return formatting.format_number(value)


@register.filter
def lpercent(value):
    """A whole percentage (42) written the reader's way: 42 %, ٪42, 42%."""
    if value in (None, ""):
        return ""
    return formatting.format_percent(value / 100)


@register.filter
def llist(values):
    """A list joined as the reader's language joins one ("a, b and c"; "أ، ب و ج")."""
    return formatting.format_list([str(v) for v in values or []])


@register.simple_tag
def localized_list(objects, field="name"):
    """Names of several rows in the reader's language, each fallback marked, joined the
    language's way ("Somali, Bhutanese and Latino"; "الصوماليون والبوتانيون")."""
    items = []
    for obj in objects:
        value = content.localized(obj, field)
        content.note_fallback(value)
        items.append(render_to_string("languages/_localized.html", {"value": value, "tag": "span"}))
    # Each item is rendered (escaped) HTML; the separators CLDR adds are plain words and commas.
    return mark_safe(formatting.format_list(items))  # noqa: S308
