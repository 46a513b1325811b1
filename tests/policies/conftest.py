import datetime as dt

import pytest
from django.core.cache import cache

from policies import services

EN_BODY = "We never ask about immigration status.\n\nYou can report a crime without giving your name."
AR_BODY = "لا نسأل أبداً عن وضع الهجرة.\n\nيمكنك الإبلاغ عن جريمة دون ذكر اسمك."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coordinator(role_user):
    return role_user("Coordinator")


@pytest.fixture
def make_policy(coordinator):
    def make(kind="confidentiality", slug="confidentiality", position=0, **texts):
        return services.policy_create(
            actor=coordinator,
            kind=kind,
            slug=slug,
            position=position,
            title=texts.get("title", {"en": "Confidentiality policy", "ar": "سياسة السرية"}),
            summary=texts.get(
                "summary",
                {"en": "We never ask about immigration status.", "ar": "لا نسأل أبداً عن وضع الهجرة."},
            ),
            body=texts.get("body", {"en": EN_BODY, "ar": AR_BODY}),
            effective_on=texts.get("effective_on", dt.date(2026, 1, 15)),
        )

    return make


@pytest.fixture
def publish(coordinator):
    def go(policy, *, en_title, en_body, effective_on=dt.date(2026, 6, 1), note="Clearer wording", **other):
        return services.policy_version_publish(
            actor=coordinator,
            policy=policy,
            title={"en": en_title, **other.get("title", {})},
            summary=other.get("summary", {}),
            body={"en": en_body, **other.get("body", {})},
            effective_on=effective_on,
            change_note=note,
        )

    return go
