import uuid

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from agencies import conf as agency_conf
from agencies.selectors import members_only
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
    sent once) in the language the person asked in. Only this agency's accounts are sent a
    link: another agency's staff reset theirs on their own agency's address."""

    def get_users(self, email):
        for user in super().get_users(email):
            if members_only(type(user).objects.filter(pk=user.pk)).exists():
                yield user

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

    def save(self, *args, request=None, site_url: str | None = None, **kwargs):
        """site_url: the address the link points at (a new agency's own host, from
        `manage.py agency_add`); SITE_URL otherwise."""
        self._request = request
        # The link points at the deployment's address, never at a Host header a request sent.
        site_url = site_url or agency_conf.site_url()
        kwargs["domain_override"] = site_url.split("://", 1)[-1].rstrip("/")
        kwargs["use_https"] = site_url.startswith("https://")
        return super().save(*args, request=request, **kwargs)


class NewAccountPasswordForm(OutboxPasswordResetForm):
    """The first "choose your password" link for an account a coordinator just made (it has
    no usable password yet, which Django's reset form would skip)."""

    def __init__(self, user):
        self._user = user
        super().__init__({"email": user.email})

    def get_users(self, email):
        return [self._user] if self._user.is_active and self._user.email else []
