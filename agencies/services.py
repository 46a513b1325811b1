"""Every write to an agency or a membership; each forgets the cached look-ups."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from agencies.models import Agency, Membership
from agencies.selectors import forget_all
from agencies.signals import settings_changed

CHANGE_PERMISSION = "agencies.change_own_agency"


def agency_create(*, slug: str, name: str, **fields) -> Agency:
    with transaction.atomic():
        agency = Agency(slug=slug, name=name, **fields)
        agency.full_clean()
        agency.save()
    transaction.on_commit(forget_all)
    forget_all()
    return agency


def agency_update(*, agency: Agency, fields: list[str] | None = None) -> Agency:
    with transaction.atomic():
        agency.full_clean()
        agency.save(update_fields=fields)
    transaction.on_commit(forget_all)
    forget_all()
    return agency


def agency_settings_save(*, actor, agency: Agency, values: dict, logo=None, remove_logo=False) -> list[str]:
    """A coordinator's change to their agency's settings (agencies.forms.AgencySettingsForm):
    only the fields that changed are written, and the audit trail is told which."""
    if actor is None or not actor.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied
    changed = [name for name, value in values.items() if getattr(agency, name) != value]
    for name in changed:
        setattr(agency, name, values[name])
    old_logo = agency.logo.name if agency.logo else ""
    if logo is not None:
        agency.logo.save(logo.name, logo, save=False)
        changed.append("logo")
    elif remove_logo and agency.logo:
        agency.logo = ""
        changed.append("logo")
    if not changed:
        return []
    with transaction.atomic():  # the change and its audit entry, together or not at all
        agency_update(agency=agency, fields=changed)
        settings_changed.send(sender=Agency, agency=agency, actor=actor, changed=changed)
        if "logo" in changed and old_logo:
            # After the commit: a rolled-back change must still find its picture.
            transaction.on_commit(lambda: agency.logo.storage.delete(old_logo))
    return changed


def member_set(*, user, agency: Agency, regional_analyst: bool = False) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        user=user, defaults={"agency": agency, "regional_analyst": regional_analyst}
    )
    return membership
