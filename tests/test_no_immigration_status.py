"""Non-negotiable 1: Bridge never records immigration status. No model of any installed app,
and no field of a public form, may ask for it or store it, under any name."""

import re

import pytest
from django.apps import apps

FORBIDDEN = re.compile(
    r"immigration|citizenship|(?<![a-z])visa|undocumented|papers|documentation[ _]status|alien|legal[ _]status",
    re.IGNORECASE,
)


def _names(field) -> list[str]:
    names = [getattr(field, "name", "") or "", getattr(field, "attname", "") or ""]
    for attr in ("verbose_name", "help_text", "label"):
        value = getattr(field, attr, None)
        if value:
            names.append(str(value))
    return names


def test_no_model_has_a_field_about_immigration_status():
    offending = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields(include_hidden=True):
            for name in _names(field):
                if FORBIDDEN.search(name):
                    offending.append(f"{model._meta.label}.{field.name}: {name!r}")
    assert offending == []


@pytest.mark.django_db
def test_no_public_form_field_asks_about_immigration_status():
    from feedback.forms import ConcernForm, TrackForm

    forms = [ConcernForm(), TrackForm()]
    try:  # the outreach sign-up form, when that app provides one
        from outreach.forms import SubscribeForm

        forms.append(SubscribeForm())
    except ImportError:
        pass
    offending = []
    for form in forms:
        for name, field in form.fields.items():
            for text in [name, str(field.label or ""), str(field.help_text or "")]:
                if FORBIDDEN.search(text):
                    offending.append(f"{type(form).__name__}.{name}: {text!r}")
            for value, label in getattr(field, "choices", None) or []:
                if FORBIDDEN.search(str(label)):
                    offending.append(f"{type(form).__name__}.{name} choice {value!r}: {label!r}")
    assert offending == []


def test_the_guard_catches_a_forbidden_field():
    from django.db import models

    field = models.CharField(name="visa_type", verbose_name="Visa type")
    assert any(FORBIDDEN.search(n) for n in _names(field))
    field = models.CharField(name="status", verbose_name="Documentation status")
    assert any(FORBIDDEN.search(n) for n in _names(field))
    field = models.CharField(name="has_visa", verbose_name="Has a work permit")
    assert any(FORBIDDEN.search(n) for n in _names(field))
    # ... but Spanish "revisar" (to review) is not "visa".
    field = models.CharField(name="to_review", verbose_name="traducciones por revisar")
    assert not any(FORBIDDEN.search(n) for n in _names(field))
