"""Every write to community concerns. Permissions are checked here, not only in views."""

import datetime as dt
import logging

import phonenumbers
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies import conf
from agencies import context as agency_context
from audit import events as audit_events
from audit.services import audit_record
from languages import content, registry
from liaison.models import Liaison, PriorityCommunity
from messaging.segments import SmsPart, sms_compose, sms_plain
from messaging.services import Outgoing, message_bodies_erase, message_forget, message_queue, sms_max_segments

from . import codes
from .models import (
    COMMENT_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    Concern,
    ConcernCategory,
    FollowUp,
    InternalNote,
    PublishedComment,
    StatusChange,
)

logger = logging.getLogger(__name__)

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


# --- Permissions ---------------------------------------------------------------------------


def can_triage(actor) -> bool:
    return actor.has_perm("feedback.triage_concern")


def can_assign(actor) -> bool:
    """Coordinators: being assigned shows a liaison the submitter's contact details."""
    return actor.has_perm("feedback.assign_concern")


def can_publish(actor) -> bool:
    return actor.has_perm("feedback.publish_concern")


def can_see_contact(actor, concern: Concern) -> bool:
    """Need to know: a submitter's e-mail and phone are for the liaison the concern is
    assigned to and for coordinators (feedback.view_concern_contact), nobody else."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if actor.has_perm("feedback.view_concern_contact"):
        return True
    return concern.assignee is not None and concern.assignee.user_id == actor.pk


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- Public submission ---------------------------------------------------------------------


def phone_normalise(raw: str) -> str | None:
    """A phone number as E.164 (+14125550100), or None when it is not a real number."""
    try:
        number = phonenumbers.parse(raw, settings.FEEDBACK_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def concern_clean(
    *, text: str, place: str = "", contact_method: str, email: str = "", phone: str = "", language: str
) -> dict:
    """Check what a visitor typed; return the values to store or raise a ValidationError that
    maps each field to a message in the visitor's language."""
    errors: dict[str, list[str]] = {}
    text = (text or "").strip()
    place = (place or "").strip()
    email = (email or "").strip()
    phone = (phone or "").strip()
    if not text:
        errors["text"] = [_("Tell us what happened.")]
    elif len(text) > TEXT_MAX_LENGTH:
        errors["text"] = [
            _("Write %(max)s characters or fewer (you wrote %(count)s).")
            % {"max": f"{TEXT_MAX_LENGTH:,}", "count": f"{len(text):,}"}
        ]
    if len(place) > PLACE_MAX_LENGTH:
        errors["place"] = [_("Write %(max)s characters or fewer.") % {"max": PLACE_MAX_LENGTH}]
    if contact_method not in Concern.ContactMethod.values:
        errors["contact_method"] = [_("Choose how we should answer you.")]
    if language not in LANGUAGE_CODES:
        errors["language"] = [_("Choose a language from the list.")]
    if contact_method == Concern.ContactMethod.EMAIL:
        phone = ""
        if not email:
            errors["email"] = [_("Enter your e-mail address, or choose not to be contacted.")]
        else:
            try:
                EmailValidator()(email)
            except ValidationError:
                errors["email"] = [_("Enter an e-mail address like name@example.com.")]
    elif contact_method == Concern.ContactMethod.PHONE:
        email = ""
        if not phone:
            errors["phone"] = [_("Enter your phone number, or choose not to be contacted.")]
        else:
            normalised = phone_normalise(phone)
            if normalised is None:
                errors["phone"] = [
                    _("Enter a phone number we can text, like 412 555 0100 or +1 412 555 0100.")
                ]
            else:
                phone = normalised
    else:
        # Anonymous: whatever was typed in the address fields is dropped, never stored.
        email = phone = ""
    if errors:
        raise ValidationError(errors)
    return {
        "text": text,
        "place": place,
        "contact_method": contact_method,
        "email": email,
        "phone": phone,
        "language": language,
    }


def concern_submit(
    *,
    category: ConcernCategory,
    text: str,
    contact_method: str = Concern.ContactMethod.NONE,
    language: str,
    community: PriorityCommunity | None = None,
    place: str = "",
    email: str = "",
    phone: str = "",
) -> Concern:
    values = concern_clean(
        text=text, place=place, contact_method=contact_method, email=email, phone=phone, language=language
    )
    if not category.is_active:
        raise ValidationError({"category": [_("Choose one of the categories in the list.")]})
    for _attempt in range(5):
        code = codes.new_code()
        try:
            # A savepoint per attempt: a clash of random codes (1 in 10^15) only retries.
            with transaction.atomic():
                concern = Concern.objects.create(code=code, category=category, community=community, **values)
                StatusChange.objects.create(concern=concern, to_status=Concern.Status.RECEIVED)
                receipt = concern_receipt(concern=concern)
                if receipt:
                    # In the same savepoint: the receipt row commits with the concern, once.
                    message_queue(outgoing=[receipt])
                return concern
        except IntegrityError:
            if not Concern.objects.filter(code=code).exists():
                raise
    raise RuntimeError("Could not find a free tracking code")  # pragma: no cover


def concern_receipt(*, concern: Concern) -> Outgoing | None:
    """The receipt for a submitter who left an e-mail or phone: their tracking code, what
    happens next and the 911 line, in their language. None for an anonymous concern."""
    address = concern.address
    if not address:
        return None
    with translation.override(concern.language):
        track_url = conf.site_url(concern.agency_id) + reverse(
            "feedback:concern-track"
        )  # never the code in a URL
        context = {
            "code": concern.code_display,
            "track_url": track_url,
            "unit_name": conf.unit_name(),
            "emergency_number": settings.EMERGENCY_NUMBER,
            "rtl": translation.get_language_bidi(),
            "language": concern.language,
        }
        email = concern.contact_method == Concern.ContactMethod.EMAIL
        if email:
            subject = _("Thank you: we received your concern")
            body = render_to_string("feedback/email/receipt.txt", context)
            html = render_to_string("feedback/email/receipt.html", context)
        else:
            subject, html = "", ""
            body = _receipt_sms(context)
    return Outgoing(
        key=f"concern:{concern.pk}:receipt:submitter",
        channel="email" if email else "sms",
        address=address,
        language=concern.language,
        subject=str(subject),
        body=body,
        html_body=html,
        headers={"Content-Language": concern.language, "Auto-Submitted": "auto-generated"} if email else {},
    )


def _receipt_sms(context: dict) -> str:
    """The receipt SMS in the active language: the code and the tracking link are never cut."""

    def plain(text: str) -> str:
        return sms_plain(" ".join(text.split()))

    parts = [
        SmsPart("thanks", plain(_("Thank you. We received your concern.")), least=12),
        SmsPart("code", plain(_("Your tracking code")) + ": " + context["code"]),
        SmsPart("link", context["track_url"]),
        SmsPart(
            "emergency",
            plain(_("In an emergency, call %(number)s.") % {"number": context["emergency_number"]}),
        ),
    ]
    return sms_compose(parts, max_segments=sms_max_segments(), shorten=("thanks",))


# --- Staff ---------------------------------------------------------------------------------


@transaction.atomic
def concern_assign(*, actor, concern: Concern, assignee: Liaison | None) -> Concern:
    _require(can_assign(actor), _("You cannot assign concerns."))
    if assignee is not None and not assignee.is_active:
        raise ValidationError({"assignee": [_("Choose an active liaison.")]})
    previous = concern.assignee
    concern.assignee = assignee
    concern.save(update_fields=["assignee", "updated_at"])
    audit_record(
        event=audit_events.CONCERN_ASSIGNED,
        actor=actor,
        target=concern,
        data={
            "from": previous.pk if previous else None,
            "from_name": previous.display_name if previous else "",
            "to": assignee.pk if assignee else None,
            "to_name": assignee.display_name if assignee else "",
        },
    )
    return concern


def concern_contact_reveal(*, actor, concern: Concern, request=None) -> str:
    """The submitter's address for someone who may see it, recorded on the audit trail each
    time it is shown; '' for anyone else (and when there is none)."""
    address = concern.address
    if not address or not can_see_contact(actor, concern):
        return ""
    audit_record(
        event=audit_events.CONTACT_DETAILS_VIEWED,
        actor=actor,
        target=concern,
        request=request,
        data={"channel": concern.contact_method},
    )
    return address


@transaction.atomic
def concern_note_add(*, actor, concern: Concern, text: str) -> InternalNote:
    _require(can_triage(actor), _("You cannot add notes to concerns."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the note.")]})
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError({"text": [_("Write %(max)s characters or fewer.") % {"max": TEXT_MAX_LENGTH}]})
    return InternalNote.objects.create(concern=concern, author=actor, text=text)


def response_in(concern: Concern, language: str, field: str = "public_response") -> tuple[str, str | None]:
    """The text of a translated field in `language`, else along that language's declared
    fallback chain (Haitian Creole -> French -> the default), else in the first language
    that has it. Returns (text, language used) or ('', None)."""
    order = [*registry.fallback_chain(registry.get(language).code, settings.LANGUAGE_CODE), *LANGUAGE_CODES]
    for code in dict.fromkeys(order):
        text = getattr(concern, content.column(field, code), "") or ""
        if text.strip():
            return text, code
    return "", None


@transaction.atomic
def concern_set_status(
    *,
    actor,
    concern: Concern,
    status: str,
    reason: str = "",
    responses: dict[str, str] | None = None,
) -> StatusChange | None:
    """Save the public responses and, when the status changes, record who changed it and
    notify the submitter (action taken or closed, with a response, when they left an address).
    Returns the history row, or None when the status stayed the same."""
    _require(can_triage(actor), _("You cannot change the status of concerns."))
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if status not in Concern.Status.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    reason = (reason or "").strip()
    if status == Concern.Status.NOT_ACTIONABLE and not reason:
        raise ValidationError({"reason": [_("Say why this concern is not actionable.")]})
    fields = ["updated_at"]
    for code, text in (responses or {}).items():
        if code not in LANGUAGE_CODES:
            raise ValidationError({"responses": [_("Unknown language: %(code)s") % {"code": code}]})
        setattr(concern, content.column("public_response", code), (text or "").strip())
        fields.append(content.column("public_response", code))
    previous = concern.status
    change = None
    if status != previous:
        now = timezone.now()
        concern.status = status
        concern.not_actionable_reason = reason if status == Concern.Status.NOT_ACTIONABLE else ""
        if status in Concern.CLOSING_STATUSES:
            concern.closed_at = concern.closed_at or now
        else:
            concern.closed_at = None
        fields += ["status", "not_actionable_reason", "closed_at"]
    concern.save(update_fields=fields)
    if status != previous:
        change = StatusChange.objects.create(
            concern=concern, actor=actor, from_status=previous, to_status=status, reason=reason
        )
        audit_record(
            event=audit_events.CONCERN_STATUS,
            actor=actor,
            target=concern,
            data={"from": previous, "to": status},
        )
        if status in Concern.NOTIFYING_STATUSES:
            outgoing = concern_notice(concern=concern, change=change)
            if outgoing:
                # Inside this transaction: the message row commits or rolls back with the change.
                message_queue(outgoing=[outgoing])
    return change


def concern_notice(*, concern: Concern, change: StatusChange) -> Outgoing | None:
    """The message telling the submitter about a status change, in their language, or None
    when there is nobody to tell or nothing to say."""
    address = concern.address
    response, response_language = response_in(concern, concern.language)
    if not address or not response:
        return None
    with translation.override(concern.language):
        context = {
            "concern": concern,
            "code": concern.code_display,
            "status": concern.get_status_display(),
            "category": content.localized(concern.category, "name").text,
            "response": response,
            "response_is_fallback": response_language != concern.language,
            "response_language": response_language,
            "status_url": conf.site_url(concern.agency_id)
            + reverse("feedback:concern-status", args=[concern.code]),
            "unit_name": conf.unit_name(),
            "emergency_number": settings.EMERGENCY_NUMBER,
            "rtl": translation.get_language_bidi(),
            "language": concern.language,
        }
        subject = " ".join(render_to_string("feedback/email/status_subject.txt", context).split())
        body = render_to_string("feedback/email/status.txt", context)
        html = render_to_string("feedback/email/status.html", context)
        sms = _status_sms(context)
    email = concern.contact_method == Concern.ContactMethod.EMAIL
    return Outgoing(
        key=f"concern:{concern.pk}:status:{change.pk}:submitter",
        channel="email" if email else "sms",
        address=address,
        language=concern.language,
        subject=subject if email else "",
        body=body if email else sms,
        html_body=html if email else "",
        headers={"Content-Language": concern.language, "Auto-Submitted": "auto-generated"} if email else {},
    )


def _status_sms(context: dict) -> str:
    """The status SMS in the active language: the tracking code, the status and the status
    link are never cut; the public response gives way to them (the page has all of it)."""

    def plain(text: str) -> str:  # one line, and Latin text kept in GSM-7
        return sms_plain(" ".join(text.split()))

    head = _("Your concern %(code)s: %(status)s.") % {"code": context["code"], "status": context["status"]}
    parts = [
        SmsPart("status", plain(head)),
        SmsPart("response", plain(context["response"]), least=24),
        SmsPart("link", context["status_url"]),
    ]
    return sms_compose(parts, max_segments=sms_max_segments(), shorten=("response",))


@transaction.atomic
def concern_publish(
    *, actor, concern: Concern, published: bool, summaries: dict[str, str] | None = None
) -> Concern:
    """Show (or stop showing) an anonymised summary of the action on "You said, we did"."""
    _require(can_publish(actor), _("You cannot publish concerns."))
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    fields = ["published", "published_at", "updated_at"]
    for code, text in (summaries or {}).items():
        if code not in LANGUAGE_CODES:
            raise ValidationError({"summaries": [_("Unknown language: %(code)s") % {"code": code}]})
        setattr(concern, content.column("public_summary", code), (text or "").strip())
        fields.append(content.column("public_summary", code))
    if published:
        summary, _lang = response_in(concern, settings.LANGUAGE_CODE, field="public_summary")
        if not summary:
            raise ValidationError({"summaries": [_("Write the public summary before publishing.")]})
        if concern.status not in (Concern.Status.ACTION_TAKEN, Concern.Status.CLOSED):
            raise ValidationError(
                {
                    "published": [
                        _("Only concerns where action was taken or that are closed can be published.")
                    ]
                }
            )
    was_published = concern.published
    concern.published = published
    concern.published_at = (concern.published_at or timezone.now()) if published else None
    concern.save(update_fields=fields)
    audit_record(
        event=audit_events.CONCERN_PUBLISHED,
        actor=actor,
        target=concern,
        data={"published": published, "was_published": was_published},
    )
    return concern


# --- "Was it resolved?" ------------------------------------------------------------------


class FollowUpAnswered(Exception):
    """The question was answered already: one answer per concern."""


def followups_queue_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Ask "was it resolved?" of each submitter whose concern reached "action taken"
    FEEDBACK_FOLLOWUP_DAYS ago, who left an address that is still kept, and who was never
    asked. Run by Celery beat; the FollowUp row (one per concern) and the outbox key make a
    second run, a second worker or a re-opened concern ask nothing again. Returns how many
    questions were queued."""
    now = now or timezone.now()
    due_before = now - dt.timedelta(days=settings.FEEDBACK_FOLLOWUP_DAYS)
    # Past the retention period the address is gone (or about to be): nobody left to ask.
    kept_after = now - dt.timedelta(days=settings.FEEDBACK_CONTACT_RETENTION_DAYS)
    candidates = list(
        Concern.objects.filter(
            status=Concern.Status.ACTION_TAKEN,
            closed_at__lte=due_before,
            closed_at__gt=kept_after,
            contact_purged_at__isnull=True,
            followup__isnull=True,
        )
        .exclude(contact_method=Concern.ContactMethod.NONE)
        .order_by("closed_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    queued = 0
    for pk in candidates:
        with transaction.atomic():
            # Another worker has it: it will ask; this one moves on (never waits, never twice).
            concern = Concern.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if concern is None or concern.status != Concern.Status.ACTION_TAKEN or not concern.address:
                continue
            followup, created = FollowUp.objects.get_or_create(concern=concern)
            if not created:
                continue
            with agency_context.use(concern.agency_id):  # beat asks for every agency
                message_queue(outgoing=[followup_question(concern=concern, followup=followup)])
            queued += 1
    if queued:
        logger.info("Follow-up questions queued: %d", queued)
    return queued


def followup_question(*, concern: Concern, followup: FollowUp) -> Outgoing:
    """The question, in the submitter's language, with the link that answers it."""
    with translation.override(concern.language):
        context = {
            "code": concern.code_display,
            "category": content.localized(concern.category, "name").text,
            "answer_url": conf.site_url(concern.agency_id)
            + reverse("feedback:followup", args=[followup.token]),
            "unit_name": conf.unit_name(),
            "emergency_number": settings.EMERGENCY_NUMBER,
            "rtl": translation.get_language_bidi(),
            "language": concern.language,
        }
        email = concern.contact_method == Concern.ContactMethod.EMAIL
        if email:
            subject = str(_("Was your concern resolved?"))
            body = render_to_string("feedback/email/followup.txt", context)
            html = render_to_string("feedback/email/followup.html", context)
        else:
            subject, html = "", ""
            body = _followup_sms(context)
    return Outgoing(
        key=f"concern:{concern.pk}:followup:submitter",
        channel="email" if email else "sms",
        address=concern.address,
        language=concern.language,
        subject=subject,
        body=body,
        html_body=html,
        headers={"Content-Language": concern.language, "Auto-Submitted": "auto-generated"} if email else {},
    )


def _followup_sms(context: dict) -> str:
    def plain(text: str) -> str:
        return sms_plain(" ".join(text.split()))

    parts = [
        SmsPart(
            "question",
            plain(_("Your concern %(code)s: was it resolved? Tell us here:") % {"code": context["code"]}),
        ),
        SmsPart("link", context["answer_url"]),
    ]
    return sms_compose(parts, max_segments=sms_max_segments(), shorten=("question",))


def followup_clean(*, resolved, comment: str) -> tuple[bool, str]:
    errors: dict[str, list[str]] = {}
    if resolved not in (True, False):
        errors["resolved"] = [_("Choose whether it was resolved.")]
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = [
            _("Write %(max)s characters or fewer (you wrote %(count)s).")
            % {"max": f"{COMMENT_MAX_LENGTH:,}", "count": f"{len(comment):,}"}
        ]
    if errors:
        raise ValidationError(errors)
    return resolved, comment


@transaction.atomic
def followup_answer(*, token: str, resolved: bool, comment: str = "") -> FollowUp:
    """Record the submitter's answer, once. "Not resolved" puts the concern back in the
    queue ("in review", with its liaison) with their comment in its history. Raises
    FollowUp.DoesNotExist for an unknown token and FollowUpAnswered for a second answer."""
    resolved, comment = followup_clean(resolved=resolved, comment=comment)
    followup = FollowUp.objects.select_for_update().get(token=token)
    if followup.answered_at is not None:
        raise FollowUpAnswered
    concern = Concern.objects.select_for_update().get(pk=followup.concern_id)
    now = timezone.now()
    followup.answered_at, followup.resolved, followup.comment = now, resolved, comment
    followup.save(update_fields=["answered_at", "resolved", "comment"])
    if not resolved and concern.status in Concern.NOTIFYING_STATUSES:
        previous = concern.status
        concern.status = Concern.Status.IN_REVIEW
        concern.closed_at = None
        concern.save(update_fields=["status", "closed_at", "updated_at"])
        StatusChange.objects.create(
            concern=concern, from_status=previous, to_status=concern.status, reason=comment
        )
        reopened = _reopened_notice(concern=concern)
        if reopened:
            message_queue(outgoing=[reopened])
    audit_record(
        event=audit_events.CONCERN_FOLLOWUP_ANSWERED,
        target=concern,
        data={"resolved": resolved, "reopened": not resolved},
        public=True,
    )
    return followup


def _reopened_notice(*, concern: Concern) -> Outgoing | None:
    """Tell the assigned liaison a concern came back: the tracking code and the staff link,
    never what the person wrote (they read it on the concern's page, where it is audited)."""
    user = concern.assignee.user if concern.assignee_id else None
    if user is None or not user.email:
        return None
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("Concern %(code)s is back in your queue: not resolved") % {"code": concern.code_display}
        body = render_to_string(
            "feedback/email/reopened.txt",
            {
                "code": concern.code_display,
                "url": conf.site_url(concern.agency_id)
                + reverse("feedback:concern-detail", args=[concern.pk]),
                "unit_name": conf.unit_name(),
            },
        )
    return Outgoing(
        key=f"concern:{concern.pk}:reopened:liaison:{user.pk}",
        channel="email",
        address=user.email,
        language=language,
        subject=str(subject),
        body=body,
        headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
    )


# --- Published comments ("You said, we did") ----------------------------------------------


def can_publish_comment(actor) -> bool:
    return actor.has_perm("feedback.add_publishedcomment")


@transaction.atomic
def comment_publish(
    *, actor, text: str, language: str, community: PriorityCommunity | None = None
) -> PublishedComment:
    """Publish a comment a coordinator has edited; the caller keeps the link to its source."""
    _require(can_publish_comment(actor), _("You cannot publish comments."))
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("Write the comment as it should be published.")]
    elif len(text) > COMMENT_MAX_LENGTH:
        errors["text"] = [_("Write %(max)s characters or fewer.") % {"max": COMMENT_MAX_LENGTH}]
    if language not in LANGUAGE_CODES:
        errors["language"] = [_("Choose a language from the list.")]
    if errors:
        raise ValidationError(errors)
    comment = PublishedComment.objects.create(
        text=text, language=language, community=community, published_by=actor
    )
    audit_record(
        event=audit_events.COMMENT_PUBLISHED, actor=actor, target=comment, data={"language": language}
    )
    return comment


# --- Retention -----------------------------------------------------------------------------


def concern_contacts_purge(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """The retention purge, for concerns closed more than `days` days ago (by default each
    agency's own period, else the setting FEEDBACK_CONTACT_RETENTION_DAYS); with no agency
    being worked for (the daily beat sweep) every agency's concerns, each by its own period."""
    return conf.by_retention_period(
        lambda days: _concern_contacts_purge(now=now, days=days),
        conf.concern_contact_retention_days,
        days=days,
    )


def _concern_contacts_purge(*, now: dt.datetime | None, days: int) -> int:
    """The purge of the agency being worked for (or of all, given `days` and no agency):

    - the e-mail and phone, including the copies in the outbox (contact_purged_at), for
      concerns that left an address;
    - what the submitter wrote (text, place) and the internal notes, which can name people
      (text_purged_at), for every concern, anonymous ones included.

    The concern, its category, community, dates, status history, public response and the
    staff-written public summary stay, and so do the statistics. One transaction; running it
    again changes nothing. Returns how many concerns had anything erased."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=days)
    with transaction.atomic():
        due = Concern.objects.select_for_update().filter(closed_at__lte=cutoff)
        contacts = set(
            due.filter(contact_purged_at__isnull=True)
            .exclude(contact_method=Concern.ContactMethod.NONE)
            .values_list("pk", flat=True)
        )
        texts = set(due.filter(text_purged_at__isnull=True).values_list("pk", flat=True))
        if contacts:
            Concern.objects.filter(pk__in=contacts).update(email="", phone="", contact_purged_at=now)
            # The outbox keeps the address each message went to: erase those copies too,
            # except for messages still waiting to be sent.
            for pk in sorted(contacts):
                message_forget(rows=Q(key__startswith=f"concern:{pk}:"), stop_queued=False, placeholder="")
        if texts:
            Concern.objects.filter(pk__in=texts).update(text="", place="", text_purged_at=now)
            InternalNote.objects.filter(concern_id__in=texts).update(text="")
            FollowUp.objects.filter(concern_id__in=texts).update(comment="")
            # The outbox copies of what the concern was told (tracking code, status link,
            # public response), except for messages still waiting to be sent.
            for pk in sorted(texts):
                message_bodies_erase(rows=Q(key__startswith=f"concern:{pk}:"))
    purged = len(contacts | texts)
    if purged:
        logger.info(
            "Retention purge: contact details of %d and text of %d closed concerns", len(contacts), len(texts)
        )
    return purged
