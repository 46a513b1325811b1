"""Signals: the agency rides along with every Celery task published while working for one and
is set again around the task's run; a sign-in remembers its agency in the session, so the
agency check of later requests costs no query."""

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save

from agencies import context
from agencies.models import Membership
from agencies.selectors import agency_of

HEADER = "bridge_agency"
SESSION_KEY = "bridge_agency"
_tokens: dict[str, object] = {}


@before_task_publish.connect(dispatch_uid="agencies.publish")
def _carry_agency(headers=None, **kwargs):
    agency_id = context.current_id()
    if headers is not None and agency_id is not None and HEADER not in headers:
        headers[HEADER] = agency_id


@task_prerun.connect(dispatch_uid="agencies.prerun")
def _enter_agency(task_id=None, task=None, **kwargs):
    agency_id = getattr(task.request, HEADER, None) if task is not None else None
    if agency_id is None and task is not None:
        agency_id = (getattr(task.request, "headers", None) or {}).get(HEADER)
    if agency_id is not None and task_id:
        _tokens[task_id] = context.activate(int(agency_id))


@task_postrun.connect(dispatch_uid="agencies.postrun")
def _leave_agency(task_id=None, **kwargs):
    token = _tokens.pop(task_id, None) if task_id else None
    if token is not None:
        try:
            context.deactivate(token)
        except ValueError:  # set in another context (a thread pool): nothing of ours to undo
            context.activate(None)


def _remember_agency(sender, request=None, user=None, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = agency_of(user)


user_logged_in.connect(_remember_agency, dispatch_uid="agencies.login")


def _new_account_joins_agency(sender, instance=None, created=False, raw=False, **kwargs):
    """An account made while working for an agency (its admin, its invitation page, a command
    run inside `agencies.context.use`) works for that agency; made outside any, for the default.
    A signal because accounts are made by Django's own forms and commands, not our services."""
    if created and not raw:
        Membership.objects.get_or_create(
            user=instance, defaults={"agency_id": context.current_or_default_id()}
        )


post_save.connect(
    _new_account_joins_agency, sender=settings.AUTH_USER_MODEL, dispatch_uid="agencies.new-account"
)
