"""Anonymous answers to the three-question survey: after a meeting (from its flyer's QR
code) and as a standing trust pulse (from the home page and language-access cards).

An answer holds no personal data: no name, address, account, IP address, device, session or
time of day (only the day). The community is the one the respondent chose, if any. The
comment is free text and may still identify someone: staff read it, and only a coordinator's
edited copy is ever published (feedback.PublishedComment)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import AgencyOwned
from feedback.models import COMMENT_MAX_LENGTH, PublishedComment
from liaison.models import PriorityCommunity
from outreach.models import OutreachEvent

SCALE = [
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neither agree nor disagree")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
]
# The three statements, in the order they are asked and shown on the dashboard.
QUESTIONS = {
    "respect": _("I was treated with respect."),
    "would_contact": _("I would contact the police if I needed help."),
    "know_how": _("I know how to raise a concern."),
}


def _today():
    return timezone.localdate()


class SurveyResponse(AgencyOwned):
    class Source(models.TextChoices):
        EVENT = "event", _("After a meeting")
        PULSE = "pulse", _("Trust pulse")

    class CommentStatus(models.TextChoices):
        NONE = "none", _("No comment")
        NEW = "new", _("To read")
        READ = "read", _("Read")
        PUBLISHED = "published", _("Published")
        SET_ASIDE = "set_aside", _("Set aside")

    source = models.CharField(_("where it was asked"), max_length=10, choices=Source.choices)
    event = models.ForeignKey(
        OutreachEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )
    community = models.ForeignKey(
        PriorityCommunity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    respect = models.PositiveSmallIntegerField(QUESTIONS["respect"], choices=SCALE)
    would_contact = models.PositiveSmallIntegerField(QUESTIONS["would_contact"], choices=SCALE)
    know_how = models.PositiveSmallIntegerField(QUESTIONS["know_how"], choices=SCALE)
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    comment_status = models.CharField(
        _("comment"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.NONE
    )
    published_comment = models.OneToOneField(
        PublishedComment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published as"),
    )
    # The day only: a time of day could tell who answered, standing at the door of a meeting.
    submitted_on = models.DateField(_("answered on"), default=_today)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["-submitted_on", "-id"]
        permissions = [
            ("read_comments", "Can read survey comments"),
            ("publish_comment", "Can publish an edited survey comment on You said, we did"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(respect__gte=1, respect__lte=5)
                & Q(would_contact__gte=1, would_contact__lte=5)
                & Q(know_how__gte=1, know_how__lte=5),
                name="survey_answers_on_the_scale",
            ),
            models.CheckConstraint(
                condition=Q(source="pulse", event__isnull=True) | Q(source="event"),
                name="survey_pulse_has_no_event",
            ),
            models.CheckConstraint(
                # A comment waiting to be read has its text; one without a comment is "none".
                condition=~Q(comment_status="new") | ~Q(comment=""),
                name="survey_new_comment_has_text",
            ),
        ]
        indexes = [
            models.Index(fields=["submitted_on", "community"], name="survey_day_community"),
            models.Index(
                fields=["-submitted_on", "-id"],
                condition=Q(comment_status="new"),
                name="survey_comments_to_read",
            ),
        ]

    def __str__(self):
        return f"Survey answer {self.pk}"
