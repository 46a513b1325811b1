"""Reads of the policy pages. A page's current version is its highest number; each read here
is one query whatever the number of pages or versions."""

from django.db.models import Exists, OuterRef

from .models import Policy, PolicyVersion


def _current():
    """Versions with no later version of the same page."""
    later = PolicyVersion.objects.filter(policy=OuterRef("policy"), number__gt=OuterRef("number"))
    return PolicyVersion.objects.filter(~Exists(later)).select_related("policy")


def published_policies() -> list[PolicyVersion]:
    """Each page's current version (its page on .policy), in the list's order."""
    return list(_current().order_by("policy__position", "policy__id"))


def current_version(slug: str) -> PolicyVersion | None:
    return (
        PolicyVersion.objects.select_related("policy").filter(policy__slug=slug).order_by("-number").first()
    )


def version_by_number(slug: str, number: int) -> PolicyVersion | None:
    return PolicyVersion.objects.select_related("policy").filter(policy__slug=slug, number=number).first()


def version_list(policy: Policy) -> list[PolicyVersion]:
    """Every version of a page, newest first, without their texts (the list shows numbers and
    dates)."""
    return list(
        PolicyVersion.objects.filter(policy=policy)
        .only("id", "policy_id", "number", "effective_on", "change_note", "published_at")
        .order_by("-number")
    )


def policy_by_id(pk: int) -> Policy | None:
    return Policy.objects.filter(pk=pk).first()


def home_promise() -> dict[str, PolicyVersion | None]:
    """The current confidentiality and what-to-expect versions, or None where the unit has
    not published that page: the home page keeps its built-in text then."""
    kinds = (Policy.Kind.CONFIDENTIALITY, Policy.Kind.WHAT_TO_EXPECT)
    found = {v.policy.kind: v for v in _current().filter(policy__kind__in=kinds)}
    return {
        "confidentiality": found.get(Policy.Kind.CONFIDENTIALITY),
        "what_to_expect": found.get(Policy.Kind.WHAT_TO_EXPECT),
    }
