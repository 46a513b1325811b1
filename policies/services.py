"""Every write to the policy pages. A published version is never edited: a change is the
next version, so the text a community member printed stays readable at its own address."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from audit import events as audit_events
from audit.services import audit_record
from languages import content, registry

from .models import Policy, PolicyVersion

TRANSLATED = ("title", "summary", "body")
PUBLISH_PERMISSION = "policies.publish_policy"


def _require_publisher(actor) -> None:
    if actor is None or not actor.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(_("Only coordinators publish policy pages."))


def _clean_texts(texts: dict[str, str] | None) -> dict[str, str]:
    """{code: text} for the declared languages, stripped; a browser's \\r\\n kept as \\n."""
    return {
        code: (text or "").replace("\r\n", "\n").strip()
        for code, text in (texts or {}).items()
        if code in registry.BY_CODE
    }


def _version_columns(*, title: dict, summary: dict, body: dict) -> dict[str, str]:
    default = settings.LANGUAGE_CODE
    texts = {"title": _clean_texts(title), "summary": _clean_texts(summary), "body": _clean_texts(body)}
    errors = {}
    if not texts["title"].get(default):
        errors[content.column("title", default)] = _(
            "Enter a title in %(language)s; other languages fall back to it."
        ) % {"language": _(registry.get(default).name)}
    if not texts["body"].get(default):
        errors[content.column("body", default)] = _(
            "Enter the text in %(language)s; other languages fall back to it."
        ) % {"language": _(registry.get(default).name)}
    if errors:
        raise ValidationError(errors)
    columns = {}
    for name in TRANSLATED:
        for code in registry.CODES:
            # Empty is "not translated": readers of that language get the fallback, marked.
            columns[content.column(name, code)] = texts[name].get(code) or None
    columns["title"] = texts["title"][default]
    columns["summary"] = texts["summary"].get(default, "")
    columns["body"] = texts["body"][default]
    return columns


def _new_version(
    *, actor, policy: Policy, number: int, effective_on: dt.date, change_note: str, columns: dict
) -> PolicyVersion:
    version = PolicyVersion(
        policy=policy,
        number=number,
        effective_on=effective_on,
        change_note=(change_note or "").strip(),
        published_by=actor,
        **columns,
    )
    # Lengths (a title of 160 characters at most, in every language) checked here, not by
    # the database's error.
    version.full_clean(exclude=["policy", "published_by", "stale_translations"], validate_constraints=False)
    version.save()
    return version


@transaction.atomic
def policy_create(
    *,
    actor,
    kind: str,
    slug: str,
    position: int = 0,
    title: dict[str, str],
    summary: dict[str, str] | None = None,
    body: dict[str, str],
    effective_on: dt.date,
    change_note: str = "",
) -> Policy:
    """A new page with its first version, published at once."""
    _require_publisher(actor)
    errors = {}
    if kind not in Policy.Kind.values:
        errors["kind"] = _("Choose what kind of page this is.")
    elif kind != Policy.Kind.OTHER and Policy.objects.filter(kind=kind).exists():
        errors["kind"] = _("There is a page of this kind already: publish a new version of it instead.")
    slug = (slug or "").strip().lower()
    if Policy.objects.filter(slug=slug).exists():
        errors["slug"] = _("Another page has this address already. Choose another.")
    if errors:
        raise ValidationError(errors)
    columns = _version_columns(title=title, summary=summary or {}, body=body)
    policy = Policy(kind=kind, slug=slug, position=position)
    policy.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            policy.save()
    except IntegrityError:
        # Someone created the same address or kind a moment ago.
        raise ValidationError(
            {"slug": _("Another page has this address or kind already. Reload the list and try again.")}
        ) from None
    version = _new_version(
        actor=actor,
        policy=policy,
        number=1,
        effective_on=effective_on,
        change_note=change_note,
        columns=columns,
    )
    audit_record(
        event=audit_events.POLICY_CREATED,
        actor=actor,
        target=policy,
        data={"policy": policy.slug, "kind": policy.kind, "version": version.number},
    )
    return policy


@transaction.atomic
def policy_version_publish(
    *,
    actor,
    policy: Policy,
    title: dict[str, str],
    summary: dict[str, str] | None = None,
    body: dict[str, str],
    effective_on: dt.date,
    change_note: str = "",
) -> PolicyVersion:
    """The page's next version; every earlier one stays as it was."""
    _require_publisher(actor)
    columns = _version_columns(title=title, summary=summary or {}, body=body)
    # Two coordinators publishing at once: the second waits here and takes the number after
    # the first's (the unique constraint is the last guard, never the usual path).
    locked = Policy.objects.select_for_update().get(pk=policy.pk)
    number = (locked.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = _new_version(
        actor=actor,
        policy=locked,
        number=number,
        effective_on=effective_on,
        change_note=change_note,
        columns=columns,
    )
    audit_record(
        event=audit_events.POLICY_PUBLISHED,
        actor=actor,
        target=locked,
        data={
            "policy": locked.slug,
            "kind": locked.kind,
            "version": number,
            "change_note": version.change_note,
        },
    )
    return version
