"""Every write to the liaison records. Permissions are checked here, not only in views."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from languages import content, formatting

from .models import Contact, Liaison, Partner, PriorityCommunity, Topic


def can_write_contact(*, actor, liaison: Liaison) -> bool:
    if actor.has_perm("liaison.manage_all_contacts"):
        return True
    return actor.has_perm("liaison.add_contact") and liaison.user_id == actor.pk


def contact_validate(
    *,
    date: dt.date,
    communities: Iterable[PriorityCommunity],
    people_reached: int,
    follow_up_due: dt.date | None,
    interpreter_used: bool = False,
) -> None:
    """Raise a ValidationError mapping each field to a message in the user's language."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if date and date > today:
        errors.setdefault("date", []).append(_("The date cannot be in the future."))
    if people_reached is None or people_reached < 1:
        errors.setdefault("people_reached", []).append(_("People reached must be at least 1."))
    communities = list(communities)
    if not communities:
        errors.setdefault("communities", []).append(_("Choose at least one community."))
    elif date:
        inactive = [str(content.localized(c, "name")) for c in communities if not c.is_active_on(date)]
        if inactive:
            errors.setdefault("communities", []).append(
                _("Not a priority community on %(date)s: %(names)s.")
                % {"date": formatting.format_date(date, "long"), "names": formatting.format_list(inactive)}
            )
    if follow_up_due and date and follow_up_due < date:
        errors.setdefault("follow_up_due", []).append(
            _("The follow-up date cannot be before the contact date.")
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contact_log(
    *,
    actor,
    liaison: Liaison,
    date: dt.date,
    kind: str,
    communities: Iterable[PriorityCommunity],
    language: str,
    people_reached: int = 1,
    partner: Partner | None = None,
    interpreter_used: bool = False,
    interpreter_detail: str = "",
    topics: Iterable[Topic] = (),
    follow_up_due: dt.date | None = None,
    notes: str = "",
    client_id=None,
) -> Contact:
    if not can_write_contact(actor=actor, liaison=liaison):
        raise PermissionDenied(_("You can only log your own contacts."))
    communities = list(communities)
    contact_validate(
        date=date, communities=communities, people_reached=people_reached, follow_up_due=follow_up_due
    )
    contact = Contact.objects.create(
        liaison=liaison,
        date=date,
        kind=kind,
        partner=partner,
        people_reached=people_reached,
        language=language,
        interpreter_used=interpreter_used,
        interpreter_detail=interpreter_detail if interpreter_used else "",
        follow_up_due=follow_up_due,
        notes=notes,
        client_id=client_id,
    )
    contact.communities.set(communities)
    contact.topics.set(list(topics))
    return contact


class ClientIdTaken(Exception):
    """A device identifier already used for another liaison's contact."""


def contact_log_once(*, actor, liaison: Liaison, client_id, **fields) -> tuple[Contact, bool]:
    """Log a contact a device made (with its own identifier) exactly once: the same
    identifier again returns the contact it created, and (contact, False). Two sends at once
    both reach the unique index; the loser's savepoint rolls back and it finds the winner's.

    The device keeps an item editable until the server confirms it, so a later send of the
    same identifier with other values (edited after an answer was lost) updates the contact
    it made: the liaison's last version counts, still once."""
    if client_id is None:
        return contact_log(actor=actor, liaison=liaison, **fields), True
    earlier = _contact_of_client(client_id, liaison)
    if earlier is not None:
        if _differs(earlier, fields):
            earlier = contact_update(actor=actor, contact=earlier, **fields)
        return earlier, False
    try:
        with transaction.atomic():
            return contact_log(actor=actor, liaison=liaison, client_id=client_id, **fields), True
    except IntegrityError:
        earlier = _contact_of_client(client_id, liaison)
        if earlier is None:
            raise
        return earlier, False


def _differs(contact: Contact, fields: dict) -> bool:
    for name, value in fields.items():
        if name in ("communities", "topics"):
            if {o.pk for o in value} != set(getattr(contact, name).values_list("pk", flat=True)):
                return True
        elif name == "partner":
            if (value.pk if value else None) != contact.partner_id:
                return True
        elif getattr(contact, name) != value:
            return True
    return False


def _contact_of_client(client_id, liaison: Liaison) -> Contact | None:
    earlier = Contact.objects.filter(client_id=client_id).first()
    if earlier is not None and earlier.liaison_id != liaison.pk:
        raise ClientIdTaken(client_id)
    return earlier


@transaction.atomic
def contact_update(*, actor, contact: Contact, **fields) -> Contact:
    # Locked: two saves of one contact at once would each diff against a stale row, and the
    # audit trail (django-auditlog, which compares with the row in the database) with them.
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if not can_write_contact(actor=actor, liaison=contact.liaison):
        raise PermissionDenied(_("You can only change your own contacts."))
    communities = list(fields.pop("communities", contact.communities.all()))
    topics = fields.pop("topics", None)
    for name, value in fields.items():
        setattr(contact, name, value)
    if not contact.interpreter_used:
        contact.interpreter_detail = ""
    contact_validate(
        date=contact.date,
        communities=communities,
        people_reached=contact.people_reached,
        follow_up_due=contact.follow_up_due,
    )
    contact.save()
    contact.communities.set(communities)
    if topics is not None:
        contact.topics.set(list(topics))
    return contact


@transaction.atomic
def contact_delete(*, actor, contact: Contact) -> None:
    if not can_write_contact(actor=actor, liaison=contact.liaison) or not actor.has_perm(
        "liaison.delete_contact"
    ):
        raise PermissionDenied(_("You can only delete your own contacts."))
    # Locked first, as contact_update does: the contact, then its links (dashboard/rollup.py).
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    # Removed one by one so the audit trail keeps which communities and topics it had: the
    # delete itself records the other fields' last values, but not the many-to-many ones
    # (and clear() would make django-auditlog list every community there is).
    contact.communities.remove(*contact.communities.all())
    contact.topics.remove(*contact.topics.all())
    contact.delete()
