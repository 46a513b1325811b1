"""Community concerns. A concern needs no name: there is no name field at all, and no field
for immigration status, citizenship, visa or documentation status anywhere in Bridge.
Contact details, when given, are used only to answer and are purged after the concern closes."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import AgencyOwned
from liaison.models import Liaison, PriorityCommunity

from . import codes

TEXT_MAX_LENGTH = 4000
PLACE_MAX_LENGTH = 200
COMMENT_MAX_LENGTH = 1000


class ConcernCategory(models.Model):
    """Managed in the admin, with a translated name (safety concern, compliment, ...)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    # Translations whose source changed after they were written ("<language>:<field>"): shown as
    # not yet translated until a translator reviews them (languages.content).
    stale_translations = models.JSONField(
        _("translations to review"), default=list, blank=True, editable=False
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("concern category")
        verbose_name_plural = _("concern categories")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Concern(AgencyOwned):
    class ContactMethod(models.TextChoices):
        NONE = "none", _("Do not contact me (anonymous)")
        EMAIL = "email", _("By e-mail")
        PHONE = "phone", _("By phone (text message)")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_REVIEW = "in_review", _("In review")
        ACTION_TAKEN = "action_taken", _("Action taken")
        CLOSED = "closed", _("Closed")
        NOT_ACTIONABLE = "not_actionable", _("Not actionable")

    OPEN_STATUSES = (Status.RECEIVED, Status.IN_REVIEW)
    # Statuses that end the work on a concern ("it closes"): closed_at is set, and contact
    # details are purged FEEDBACK_CONTACT_RETENTION_DAYS after. Action taken counts: the
    # answer has been sent, and keeping an address longer than needed is what we promised not to.
    CLOSING_STATUSES = (Status.ACTION_TAKEN, Status.CLOSED, Status.NOT_ACTIONABLE)
    # Statuses that tell the submitter about the public response.
    NOTIFYING_STATUSES = (Status.ACTION_TAKEN, Status.CLOSED)

    code = models.CharField(_("tracking code"), max_length=codes.LENGTH, unique=True, editable=False)
    category = models.ForeignKey(
        ConcernCategory, on_delete=models.PROTECT, related_name="concerns", verbose_name=_("category")
    )
    # Empty only after the retention purge (text_purged_at); the form requires it.
    text = models.TextField(_("what happened"), max_length=TEXT_MAX_LENGTH, blank=True)
    community = models.ForeignKey(
        PriorityCommunity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concerns",
        verbose_name=_("community"),
    )
    place = models.CharField(_("neighbourhood or place"), max_length=PLACE_MAX_LENGTH, blank=True)
    contact_method = models.CharField(
        _("how to answer"), max_length=10, choices=ContactMethod.choices, default=ContactMethod.NONE
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, help_text=_("E.164, e.g. +14125550100"))
    language = models.CharField(_("language to answer in"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    not_actionable_reason = models.TextField(_("why it is not actionable"), blank=True)
    assignee = models.ForeignKey(
        Liaison,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concerns",
        verbose_name=_("assigned to"),
    )
    public_response = models.TextField(_("public response"), blank=True)
    published = models.BooleanField(_("published on “You said, we did”"), default=False)
    public_summary = models.TextField(
        _("public summary"), blank=True, help_text=_("Anonymised: no names, addresses or details.")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    contact_purged_at = models.DateTimeField(_("contact details purged at"), null=True, blank=True)
    # When the retention purge emptied what the submitter wrote (text, place) and the internal
    # notes; set for every closed concern, anonymous or not. contact_purged_at stays about the
    # e-mail and phone, so it is set only where there was an address to erase.
    text_purged_at = models.DateTimeField(_("text removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("triage_concern", "Can triage concerns: assign, change status, add notes and responses"),
            ("publish_concern", "Can publish concerns on You said, we did"),
            ("view_concern_contact", "Can see any submitter's e-mail and phone"),
            # Assigning gives the assignee the submitter's contact details: it is not for the
            # liaisons themselves, who could otherwise assign a concern to themselves to see them.
            ("assign_concern", "Can assign concerns to liaisons"),
        ]
        constraints = [
            models.CheckConstraint(
                # Anonymous means no address at all; an answer by e-mail holds no phone and
                # the reverse. After the purge both are empty whatever was chosen.
                condition=(
                    Q(contact_method="none", email="", phone="")
                    | Q(contact_method="email", phone="")
                    | Q(contact_method="phone", email="")
                ),
                name="concern_contact_matches_method",
            ),
            models.CheckConstraint(
                condition=~Q(status="not_actionable") | ~Q(not_actionable_reason=""),
                name="concern_not_actionable_has_reason",
            ),
            models.CheckConstraint(
                # Only the retention purge leaves a concern without its text.
                condition=~Q(text="") | Q(text_purged_at__isnull=False),
                name="concern_text_empty_only_when_purged",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="concern_status_created"),
            # The queue's own orders: its default view (the open ones, oldest first) reads a
            # page straight off a partial index; "all" (newest first) off the second.
            models.Index(
                fields=["created_at", "id"],
                condition=Q(status__in=["received", "in_review"]),
                name="concern_open_queue",
            ),
            models.Index(fields=["-created_at", "-id"], name="concern_created_id"),
            models.Index(fields=["published", "-published_at"], name="concern_published"),
            models.Index(fields=["closed_at"], name="concern_closed_at"),
        ]

    def __str__(self):
        # Not the tracking code: it opens the public status page, and this name is kept in
        # the admin's history and the audit trail long after the concern is purged.
        return f"Concern {self.pk}"

    @property
    def code_display(self) -> str:
        return codes.display(self.code)

    @property
    def address(self) -> str:
        """Where to answer, or '' (anonymous, or purged)."""
        if self.contact_method == self.ContactMethod.EMAIL:
            return self.email
        if self.contact_method == self.ContactMethod.PHONE:
            return self.phone
        return ""

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class StatusChange(AgencyOwned):
    """Every status change and who made it; the first row (no actor) is the submission."""

    agency_from = "concern"

    concern = models.ForeignKey(
        Concern, on_delete=models.CASCADE, related_name="history", verbose_name=_("concern")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Concern.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Concern.Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.concern}: {self.from_status or '-'} → {self.to_status}"


class InternalNote(AgencyOwned):
    """Staff-only notes: never shown on a public page or sent to the submitter."""

    agency_from = "concern"

    concern = models.ForeignKey(
        Concern, on_delete=models.CASCADE, related_name="notes", verbose_name=_("concern")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    # Empty only after the retention purge (the concern's text_purged_at): notes can name people.
    text = models.TextField(_("note"), max_length=TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "id"]

    def __str__(self):
        # Never the note's text: this name is kept in the audit trail for years, and a note
        # can name people (its text is erased after the retention period).
        return f"{self.concern}: note {self.pk}"


def _followup_token() -> str:
    return secrets.token_urlsafe(32)


class FollowUp(AgencyOwned):
    """ "Was it resolved?": the one question asked FEEDBACK_FOLLOWUP_DAYS after a concern
    reached "action taken", of a submitter who left an address. One row per concern, ever
    (the unique concern), so the question is asked once whatever the sweep or a re-opening
    does. The link's token is random and says nothing about the concern or the person."""

    agency_from = "concern"

    concern = models.OneToOneField(
        Concern, on_delete=models.CASCADE, related_name="followup", verbose_name=_("concern")
    )
    token = models.CharField(max_length=64, unique=True, default=_followup_token, editable=False)
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    resolved = models.BooleanField(_("resolved"), null=True, blank=True)
    # Erased with the concern's text by the retention purge: a comment can name people.
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("follow-up question")
        verbose_name_plural = _("follow-up questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, resolved__isnull=True)
                | Q(answered_at__isnull=False, resolved__isnull=False),
                name="followup_answer_complete",
            ),
        ]
        indexes = [models.Index(fields=["answered_at"], name="followup_answered")]

    def __str__(self):
        return f"{self.concern}: follow-up"


class PublishedComment(AgencyOwned):
    """Something a community member told us (a survey comment), published on "You said, we
    did" after a coordinator edited out anything that could identify anyone. Only the edited
    text is here; the original stays with the survey answer, for staff."""

    text = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    community = models.ForeignKey(
        PriorityCommunity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )

    class Meta:
        verbose_name = _("published comment")
        verbose_name_plural = _("published comments")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["-published_at", "-id"], name="published_comment_recent")]

    def __str__(self):
        return f"Published comment {self.pk}"
