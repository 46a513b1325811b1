"""Signal receivers connected in AuditConfig.ready(): sign-ins and sign-outs from
django.contrib.auth, and django-auditlog's diffs mirrored onto the trail."""

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save

from agencies.signals import settings_changed

from . import events
from .services import USERNAME_MAX, audit_mirror_log_entry, audit_record


def on_login(sender, request, user, **kwargs):
    audit_record(event=events.LOGIN, actor=user, target=user, request=request)


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(event=events.LOGOUT, actor=user, target=user, request=request)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Only the username: never the password (Django masks it, but it is not kept at all).
    User = get_user_model()
    username = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")[:USERNAME_MAX]
    user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    # A username that is no account is kept only as its length: people type a password into
    # the username box by mistake, and the trail is kept for years.
    audit_record(
        event=events.LOGIN_FAILED,
        actor=None,
        target=user,
        request=request,
        data={"username": username, "known_user": True}
        if user is not None
        else {"username": "", "known_user": False, "typed_length": len(username)},
    )


def on_log_entry(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        audit_mirror_log_entry(log_entry=instance)


def on_agency_settings(sender, agency, actor, changed, **kwargs):
    # The names of what changed, never the values (a sender address is personal enough).
    audit_record(event=events.AGENCY_SETTINGS_CHANGED, actor=actor, target=agency, data={"fields": changed})


def connect():
    user_logged_in.connect(on_login, dispatch_uid="audit.login")
    user_logged_out.connect(on_logout, dispatch_uid="audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit.login_failed")
    post_save.connect(on_log_entry, sender=LogEntry, dispatch_uid="audit.log_entry")
    settings_changed.connect(on_agency_settings, dispatch_uid="audit.agency_settings")
