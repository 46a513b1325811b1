"""When a member of staff's sign-in changes (second step, recovery codes, password), the audit
trail records it and the person is told by e-mail through the outbox: someone who changed it
without them learns it at once."""

import uuid

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from agencies import conf
from agencies import conf as agency_conf
from audit.services import audit_record
from messaging.services import Outgoing, message_queue

WHAT = {
    "mfa.enrolled": _("The second step of your sign-in was set up on a phone."),
    "mfa.recovery_codes": _("New recovery codes were made for your sign-in; the old ones no longer work."),
    "mfa.removed": _("The second step of your sign-in was reset by an administrator."),
    "auth.password_changed": _("Your password was changed."),
    "auth.password_reset_done": _("Your password was set from a reset link."),
}


def sign_in_changed(*, event: str, user, actor=None, request=None) -> None:
    """Record the change on the trail (by `actor`, the person themselves by default) and tell them."""
    audit_record(event=event, actor=actor or user, target=user, request=request)
    security_notice_send(user=user, event=event)


def security_notice_send(*, user, event: str, language: str | None = None) -> None:
    """Queue the notice (after commit, with the change that causes it); nothing for an
    account without an e-mail address."""
    if not user.email or event not in WHAT:
        return
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "what": WHAT[event],
            "when": timezone.localtime(),
            "security_url": agency_conf.site_url() + reverse("security"),
            "unit_name": conf.unit_name(),
        }
        subject = " ".join(
            render_to_string("registration/email/security_notice_subject.txt", context).split()
        )
        body = render_to_string("registration/email/security_notice.txt", context)
    message_queue(
        outgoing=[
            Outgoing(
                key=f"auth:security-notice:{user.pk}:{uuid.uuid4().hex}",
                channel="email",
                address=user.email,
                language=language,
                subject=subject,
                body=body,
                headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
            )
        ]
    )
