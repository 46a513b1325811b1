"""Publishing policy pages: numbered versions, earlier ones kept as they were, audit entries,
coordinators only."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from audit.models import Entry
from policies import selectors, services
from policies.models import Policy, PolicyVersion

pytestmark = pytest.mark.django_db


def test_policy_create_publishes_version_one_in_every_language_given(make_policy):
    policy = make_policy()
    version = selectors.current_version("confidentiality")
    assert version.policy == policy and version.number == 1
    assert version.title_en == "Confidentiality policy" and version.title_ar == "سياسة السرية"
    assert version.title_so is None  # not translated: Somali readers get the marked fallback
    assert version.effective_on == dt.date(2026, 1, 15)


def test_policy_version_publish_numbers_versions_and_keeps_the_previous_text(make_policy, publish):
    policy = make_policy()
    second = publish(policy, en_title="Confidentiality policy (2026)", en_body="New text.")
    third = publish(policy, en_title="Confidentiality policy (2027)", en_body="Newer text.")
    assert (second.number, third.number) == (2, 3)
    assert selectors.current_version("confidentiality").body_en == "Newer text."
    first = selectors.version_by_number("confidentiality", 1)
    assert first.body_en.startswith("We never ask") and first.title_ar == "سياسة السرية"
    assert selectors.version_by_number("confidentiality", 2).body_en == "New text."
    assert [v.number for v in selectors.version_list(policy)] == [3, 2, 1]


def test_policy_version_publish_leaves_an_audit_entry_for_each_write(make_policy, publish, coordinator):
    policy = make_policy()
    publish(policy, en_title="T", en_body="B", note="Added the complaint address")
    entries = list(Entry.objects.filter(actor=coordinator).order_by("pk"))
    data = [e.data for e in entries if e.data.get("policy") == "confidentiality"]
    assert [d["version"] for d in data] == [1, 2]
    assert data[1]["change_note"] == "Added the complaint address"


@pytest.mark.parametrize("role", ["Liaison officer", "Commander"])
def test_policy_services_refuse_anyone_but_a_coordinator(role_user, make_policy, role):
    policy = make_policy()
    other = role_user(role)
    with pytest.raises(PermissionDenied):
        services.policy_version_publish(
            actor=other, policy=policy, title={"en": "x"}, body={"en": "y"}, effective_on=dt.date(2026, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        services.policy_create(
            actor=other,
            kind="complaints",
            slug="complaints",
            title={"en": "x"},
            body={"en": "y"},
            effective_on=dt.date(2026, 1, 1),
        )
    assert PolicyVersion.objects.count() == 1 and Policy.objects.count() == 1


def test_policy_services_refuse_a_missing_default_text_and_a_second_page_of_a_kind(make_policy, coordinator):
    policy = make_policy()
    with pytest.raises(ValidationError) as exc:
        services.policy_version_publish(
            actor=coordinator,
            policy=policy,
            title={"ar": "عنوان"},
            body={"en": "  "},
            effective_on=dt.date(2026, 1, 1),
        )
    assert set(exc.value.message_dict) == {"title_en", "body_en"}
    with pytest.raises(ValidationError) as exc:
        make_policy(slug="confidentiality-2")
    assert "kind" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        make_policy(kind="other", slug="confidentiality")
    assert "slug" in exc.value.message_dict
    assert PolicyVersion.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_policy_version_publish_two_at_once_get_consecutive_numbers(make_policy, coordinator):
    policy = make_policy()
    errors, numbers = [], []

    def go(text):
        try:
            numbers.append(
                services.policy_version_publish(
                    actor=coordinator,
                    policy=policy,
                    title={"en": text},
                    body={"en": text},
                    effective_on=dt.date(2026, 2, 1),
                ).number
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(f"T{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [2, 3, 4, 5]
