"""Outreach events and community concerns on the dashboard.

They come from the outreach and feedback apps. Until those apps have their models, each
section says "not available yet" instead of failing, and the trend leaves their columns empty.
"""

from __future__ import annotations

from django.apps import apps

from .selectors import Filters


def _model(label: str, name: str):
    try:
        return apps.get_model(label, name)
    except LookupError:
        return None


def events_available() -> bool:
    return _model("outreach", "OutreachEvent") is not None


def concerns_available() -> bool:
    return _model("feedback", "Concern") is not None


def add_events_to_trend(trend: list[dict], filters: Filters) -> list[dict]:
    return trend


def event_figures(filters: Filters) -> dict | None:
    return None


def concern_figures(filters: Filters) -> dict | None:
    return None


def export_sections(filters: Filters) -> list[tuple[str, list, list]]:
    return []
