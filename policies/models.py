"""Policies and rights pages the unit publishes for the public: the unbiased-policing policy,
the confidentiality policy, what to expect from police, how to file a complaint, language
access rights. A page is a series of versions; publishing a change adds a version, so every
earlier one stays readable at its own address."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import AgencyOwned


class Policy(AgencyOwned):
    class Kind(models.TextChoices):
        WHAT_TO_EXPECT = "what_to_expect", _("What to expect from police")
        CONFIDENTIALITY = "confidentiality", _("Confidentiality policy")
        UNBIASED_POLICING = "unbiased_policing", _("Unbiased-policing policy")
        COMPLAINTS = "complaints", _("How to file a complaint")
        LANGUAGE_ACCESS = "language_access", _("Language access rights")
        OTHER = "other", _("Other policy")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The address printed on flyers and cards: /<lang>/policies/<slug>/. Never changes.
    slug = models.SlugField(_("address"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position in the list"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("policy page")
        verbose_name_plural = _("policy pages")
        ordering = ["position", "id"]
        permissions = [("publish_policy", "Can publish policy pages")]
        constraints = [
            # The home page reads its promise from these: one page of each of those kinds.
            models.UniqueConstraint(
                fields=["agency", "kind"], condition=~Q(kind="other"), name="one_policy_page_per_kind"
            ),
            models.UniqueConstraint(fields=["agency", "slug"], name="policy_slug_per_agency"),
        ]

    def __str__(self):
        return self.slug


class PolicyVersion(AgencyOwned):
    """One published text of a policy page, in every language side by side. Never edited
    once published: a change is a new version."""

    agency_from = "policy"

    policy = models.ForeignKey(
        Policy, on_delete=models.CASCADE, related_name="versions", verbose_name=_("page")
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=160)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("Two or three sentences; the home page shows them.")
    )
    body = models.TextField(_("text"), help_text=_("Plain text; an empty line starts a new paragraph."))
    # Translations whose source changed after they were written ("<language>:<field>"): shown as
    # not yet translated until a translator reviews them (languages.content).
    stale_translations = models.JSONField(
        _("translations to review"), default=list, blank=True, editable=False
    )
    effective_on = models.DateField(_("in effect from"))
    change_note = models.CharField(_("what changed"), max_length=250, blank=True)
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="one_policy_version_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="policy_version_from_one"),
        ]

    def __str__(self):
        return f"{self.policy.slug} v{self.number}"
