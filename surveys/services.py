"""Every write to survey answers. Answering needs no account; reading and publishing the
comments is for staff, and publishing only after a coordinator's edit."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import events as audit_events
from audit.services import audit_record
from feedback import services as feedback_services
from feedback.models import COMMENT_MAX_LENGTH
from liaison.models import PriorityCommunity
from outreach.models import OutreachEvent

from .models import QUESTIONS, SurveyResponse

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def event_survey_open(event: OutreachEvent, *, now: dt.datetime | None = None) -> bool:
    """A meeting's survey opens when it starts (people answer on their way out) and stays
    open: the flyer's QR code keeps leading to it."""
    now = now or timezone.now()
    return event.status == OutreachEvent.Status.PUBLISHED and event.start <= now


def survey_clean(*, language: str, comment: str, **scores) -> dict:
    errors: dict[str, list[str]] = {}
    for question in QUESTIONS:
        value = scores.get(question)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            errors[question] = [_("Choose one answer for this statement.")]
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = [_("Write %(max)s characters or fewer.") % {"max": COMMENT_MAX_LENGTH}]
    if language not in LANGUAGE_CODES:
        errors["language"] = [_("Choose a language from the list.")]
    if errors:
        raise ValidationError(errors)
    return {**{q: scores[q] for q in QUESTIONS}, "comment": comment, "language": language}


def survey_submit(
    *,
    language: str,
    respect: int,
    would_contact: int,
    know_how: int,
    comment: str = "",
    event: OutreachEvent | None = None,
    community: PriorityCommunity | None = None,
) -> SurveyResponse:
    """Store one anonymous answer: after a meeting (`event`) or the trust pulse (none)."""
    values = survey_clean(
        language=language, comment=comment, respect=respect, would_contact=would_contact, know_how=know_how
    )
    if event is not None and not event_survey_open(event):
        raise ValidationError({"event": [_("This meeting's survey opens when the meeting starts.")]})
    if community is not None and not community.is_active_on(timezone.localdate()):
        raise ValidationError(
            {"community": [_("Choose a community from the list, or “I prefer not to say”.")]}
        )
    return SurveyResponse.objects.create(
        source=SurveyResponse.Source.EVENT if event is not None else SurveyResponse.Source.PULSE,
        event=event,
        community=community,
        comment_status=SurveyResponse.CommentStatus.NEW
        if values["comment"]
        else SurveyResponse.CommentStatus.NONE,
        **values,
    )


def can_read_comments(actor) -> bool:
    return actor.has_perm("surveys.read_comments")


def can_publish_comments(actor) -> bool:
    return actor.has_perm("surveys.publish_comment") and feedback_services.can_publish_comment(actor)


@transaction.atomic
def comment_mark(*, actor, response: SurveyResponse, status: str) -> SurveyResponse:
    """Mark a comment read, or set it aside (it is never published)."""
    S = SurveyResponse.CommentStatus
    if not can_read_comments(actor) or (status == S.SET_ASIDE and not can_publish_comments(actor)):
        raise PermissionDenied(_("You cannot change this comment."))
    response = SurveyResponse.objects.select_for_update().get(pk=response.pk)
    if status not in (S.READ, S.SET_ASIDE) or response.comment_status in (S.NONE, S.PUBLISHED):
        raise ValidationError({"status": [_("This comment cannot be changed that way.")]})
    response.comment_status = status
    response.save(update_fields=["comment_status"])
    if status == S.SET_ASIDE:
        audit_record(event=audit_events.COMMENT_DISMISSED, actor=actor, target=response)
    return response


@transaction.atomic
def comment_publish(*, actor, response: SurveyResponse, text: str) -> SurveyResponse:
    """Publish a coordinator's edited copy of a comment on "You said, we did"; the original
    stays here, for staff only."""
    if not can_publish_comments(actor):
        raise PermissionDenied(_("You cannot publish comments."))
    response = SurveyResponse.objects.select_for_update().get(pk=response.pk)
    if response.comment_status in (SurveyResponse.CommentStatus.NONE, SurveyResponse.CommentStatus.PUBLISHED):
        raise ValidationError({"text": [_("This comment cannot be published.")]})
    published = feedback_services.comment_publish(
        actor=actor, text=text, language=response.language, community=response.community
    )
    response.published_comment = published
    response.comment_status = SurveyResponse.CommentStatus.PUBLISHED
    response.save(update_fields=["published_comment", "comment_status"])
    return response
