import uuid

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from audit import events
from audit.services import audit_record
from messaging.services import Outgoing, message_queue


class CodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6-digit code your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, its mail sent through the outbox (a row per request, retried,
    sent once) in the language the person asked in."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = " ".join(loader.render_to_string(subject_template_name, context).split())
        body = loader.render_to_string(email_template_name, context)
        language = get_language() or settings.LANGUAGE_CODE
        message_queue(
            outgoing=[
                Outgoing(
                    key=f"auth:password-reset:{context['user'].pk}:{uuid.uuid4().hex}",
                    channel="email",
                    address=to_email,
                    language=language,
                    subject=subject,
                    body=body,
                    headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
                    secret=True,
                )
            ]
        )
        audit_record(event=events.PASSWORD_RESET_REQUESTED, target=context["user"], request=self._request)

    def save(self, *args, request=None, **kwargs):
        self._request = request
        # The link points at the deployment's address, never at a Host header a request sent.
        kwargs["domain_override"] = settings.SITE_URL.split("://", 1)[-1]
        kwargs["use_https"] = settings.SITE_URL.startswith("https://")
        return super().save(*args, request=request, **kwargs)


class NewAccountPasswordForm(OutboxPasswordResetForm):
    """The first "choose your password" link for an account a coordinator just made (it has
    no usable password yet, which Django's reset form would skip)."""

    def __init__(self, user):
        self._user = user
        super().__init__({"email": user.email})

    def get_users(self, email):
        return [self._user] if self._user.is_active and self._user.email else []
