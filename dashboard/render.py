"""HTML for the dashboard's longest parts, built in Python.

The per-liaison table has a row for every liaison (200 in a large unit) and the filter selects
one option per quarter and community. Through the template engine those cost about as much as
all the database work on the page (each variable and each widget option is a template render),
so they are built here with format_html, which escapes every value just the same.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _


def num(value: int) -> str:
    return number_format(value, force_grouping=True)


def liaison_rows(rows: list[dict]) -> SafeString:
    share = _("%(name)s: share of target")
    return format_html_join(
        "\n",
        '<tr{}><th scope="row">{}</th><td>{}</td><td class="num"><a href="{}">{}</a></td>'
        '<td class="num">{}</td><td class="progress-cell"><div class="progress" role="progressbar" '
        'aria-label="{}" aria-valuenow="{}" aria-valuemin="0" aria-valuemax="100">'
        '<div class="progress-bar progress-{}{}"></div></div><span class="small">{}%</span></td>'
        '<td class="num">{}</td></tr>',
        (
            (
                SafeString(' class="below-target"') if r["contacts"] < r["target"] else "",
                r["name"],
                r["liaison"].unit,
                r["url"],
                num(r["contacts"]),
                r["target"],
                share % {"name": r["name"]},
                r["percent"],
                r["percent"],
                SafeString(" bg-warning") if r["percent"] < 100 else "",
                r["percent"],
                num(r["people"]),
            )
            for r in rows
        ),
    )


def select(name: str, label: str, choices, selected: str) -> SafeString:
    """A labelled <select>; `choices` are (value, text) pairs or (group, [(value, text), ...])."""

    def options(pairs):
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, SafeString(" selected") if str(v) == selected else "", t) for v, t in pairs),
        )

    parts = []
    for value, text in choices:
        if isinstance(text, list | tuple):
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', value, options(text)))
        else:
            parts.append(options([(value, text)]))
    return format_html(
        '<label class="form-label" for="id_{}">{}</label><select name="{}" id="id_{}" class="form-select">{}</select>',
        name,
        label,
        name,
        name,
        SafeString("".join(parts)),
    )
