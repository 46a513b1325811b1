""" "Was it resolved?": asked once, some days after "action taken", of a submitter who left
an address; "not resolved" puts the concern back in its liaison's queue with the comment."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from audit.models import Entry
from feedback import selectors, services
from feedback.models import Concern, FollowUp
from messaging.models import Message
from tests.conftest import at_once
from tests.factories import ConcernFactory, LiaisonFactory

pytestmark = pytest.mark.django_db


def _acted(role_user, *, days_ago=15, **kwargs):
    """A concern that reached "action taken" `days_ago` days ago, with its answer sent."""
    kwargs.setdefault("language", "es")
    kwargs.setdefault("contact_method", "email")
    kwargs.setdefault("email", "ana@example.org")
    concern = ConcernFactory(assignee=kwargs.pop("assignee", None) or LiaisonFactory(), **kwargs)
    services.concern_set_status(
        actor=role_user("Coordinator"), concern=concern, status="action_taken", responses={"es": "Arreglado."}
    )
    Concern.objects.filter(pk=concern.pk).update(closed_at=timezone.now() - dt.timedelta(days=days_ago))
    concern.refresh_from_db()
    return concern


def _followups():
    return Message.objects.filter(key__contains=":followup:")


def test_followup_is_asked_once_in_the_submitters_language(role_user, settings):
    settings.FEEDBACK_FOLLOWUP_DAYS = 14
    concern = _acted(role_user)
    assert services.followups_queue_due() == 1
    assert services.followups_queue_due() == 0  # the next hourly run asks nothing again
    (message,) = _followups()
    followup = FollowUp.objects.get(concern=concern)
    assert message.key == f"concern:{concern.pk}:followup:submitter"
    assert (message.language, message.address, message.channel) == ("es", "ana@example.org", "email")
    with translation.override("es"):
        assert message.subject == translation.gettext("Was your concern resolved?")
    assert f"/es/concerns/followup/{followup.token}/" in message.body
    assert concern.code not in followup.token  # the link is not the tracking code
    assert "911" in message.body


def test_followup_by_sms_fits_and_carries_the_link(role_user):
    concern = _acted(role_user, contact_method="phone", email="", phone="+14125550123", language="ar")
    services.followups_queue_due()
    (message,) = _followups()
    assert message.channel == "sms" and message.address == "+14125550123" and message.language == "ar"
    assert f"/ar/concerns/followup/{concern.followup.token}/" in message.body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_followup_two_workers_at_once_ask_once(role_user):
    _acted(role_user)
    _acted(role_user, email="bo@example.org")
    at_once([services.followups_queue_due, services.followups_queue_due])
    assert _followups().count() == 2
    assert FollowUp.objects.count() == 2


def test_followup_not_asked_too_early_anonymously_or_after_the_address_is_gone(role_user, settings):
    settings.FEEDBACK_FOLLOWUP_DAYS = 14
    _acted(role_user, days_ago=3)
    _acted(role_user, contact_method="none", email="")
    _acted(role_user, days_ago=settings.FEEDBACK_CONTACT_RETENTION_DAYS + 1)
    assert services.followups_queue_due() == 0
    assert not _followups().exists()


def test_followup_a_reopened_and_acted_again_concern_is_not_asked_twice(role_user, client):
    concern = _acted(role_user)
    services.followups_queue_due()
    services.followup_answer(token=concern.followup.token, resolved=False, comment="")
    services.concern_set_status(actor=role_user("Coordinator"), concern=concern, status="action_taken")
    Concern.objects.filter(pk=concern.pk).update(closed_at=timezone.now() - dt.timedelta(days=30))
    services.followups_queue_due()
    assert _followups().count() == 1


def test_followup_not_resolved_reopens_the_concern_for_its_liaison_with_the_comment(role_user, client):
    liaison = LiaisonFactory()
    concern = _acted(role_user, assignee=liaison)
    services.followups_queue_due()
    token = concern.followup.token
    page = client.get(f"/es/concerns/followup/{token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'lang="es"' in html and "911" in html and 'name="resolved"' in html
    answer = client.post(
        f"/es/concerns/followup/{token}/", {"resolved": "no", "comment": "Los coches siguen pasando rápido."}
    )
    assert answer.status_code == 200
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_REVIEW and concern.closed_at is None
    assert concern.assignee == liaison
    last = concern.history.last()
    assert (last.from_status, last.to_status, last.actor) == ("action_taken", "in_review", None)
    assert last.reason == "Los coches siguen pasando rápido."
    # Back in the liaison's queue of open concerns.
    assert concern in selectors.concern_queue_for(user=liaison.user, status=selectors.OPEN)
    # The liaison is told by e-mail, without what the person wrote.
    told = Message.objects.get(key__contains=":reopened:")
    assert told.address == liaison.user.email and f"/en/concerns/queue/{concern.pk}/" in told.body
    assert "Los coches" not in told.body
    entry = Entry.objects.get(event="concern.followup_answered")
    assert entry.remote_addr is None and entry.actor is None and entry.data["resolved"] is False

    # A second answer (another tab, the link opened again) changes nothing.
    again = client.post(f"/es/concerns/followup/{token}/", {"resolved": "yes", "comment": ""})
    assert again.status_code == 200
    concern.followup.refresh_from_db()
    assert concern.followup.resolved is False
    assert concern.history.count() == 2  # action taken, then back in review


def test_followup_resolved_is_recorded_and_leaves_the_concern_as_it_was(role_user, client):
    concern = _acted(role_user)
    services.followups_queue_due()
    response = client.post(f"/en/concerns/followup/{concern.followup.token}/", {"resolved": "yes"})
    assert response.status_code == 200
    concern.refresh_from_db()
    assert concern.status == Concern.Status.ACTION_TAKEN
    assert concern.followup.resolved is True and concern.followup.answered_at is not None


def test_followup_bad_input_is_refused_in_the_readers_language_and_keeps_the_comment(role_user, client):
    concern = _acted(role_user)
    services.followups_queue_due()
    url = f"/es/concerns/followup/{concern.followup.token}/"
    response = client.post(url, {"comment": "Sigue igual"})
    assert response.status_code == 400
    html = response.content.decode()
    with translation.override("es"):
        assert translation.gettext("Choose whether it was resolved.") in html
    assert "Sigue igual" in html
    too_long = client.post(url, {"resolved": "no", "comment": "x" * 1001})
    assert too_long.status_code == 400
    concern.followup.refresh_from_db()
    assert concern.followup.answered_at is None
    with pytest.raises(ValidationError):
        services.followup_answer(token=concern.followup.token, resolved=None, comment="")


def test_followup_unknown_token_is_a_404(client):
    assert client.get("/en/concerns/followup/not-a-token/").status_code == 404
    assert client.post("/en/concerns/followup/" + "x" * 300 + "/", {"resolved": "yes"}).status_code == 404


def test_followup_answer_shows_in_the_concerns_history_for_staff(role_user, client):
    concern = _acted(role_user)
    services.followups_queue_due()
    services.followup_answer(token=concern.followup.token, resolved=False, comment="Nada cambió")
    client.force_login(role_user("Coordinator"))
    html = client.get(f"/en/concerns/queue/{concern.pk}/").content.decode()
    assert "No, it was not resolved" in html and "Nada cambió" in html


def test_followup_comment_is_erased_by_the_retention_purge(role_user):
    concern = _acted(role_user)
    services.followups_queue_due()
    services.followup_answer(token=concern.followup.token, resolved=True, comment="Gracias a Marta")
    Concern.objects.filter(pk=concern.pk).update(closed_at=timezone.now() - dt.timedelta(days=400))
    services.concern_contacts_purge()
    concern.followup.refresh_from_db()
    assert concern.followup.comment == "" and concern.followup.resolved is True


def test_followup_link_is_redacted_from_logs():
    from bridge.logs import redact

    assert (
        redact('"GET /es/concerns/followup/AbC-123_xyz/ HTTP/1.1" 200')
        == '"GET /es/concerns/followup/[code]/ HTTP/1.1" 200'
    )


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_followup_reaches_the_submitter_once_through_a_worker(celery_worker, role_user, settings):
    from tests.conftest import wait_for
    from tests.feedback.test_delivery import _mails

    concern = _acted(role_user)
    at_once([services.followups_queue_due] * 3)
    sent = wait_for(lambda: _followups().filter(status=Message.Status.SENT).first(), timeout=30)
    assert sent is not None, list(_followups().values_list("status", "last_error"))
    wait_for(lambda: len(_mails(settings.EMAIL_FILE_PATH)) >= 2, timeout=10)
    asked = [
        m
        for m in _mails(settings.EMAIL_FILE_PATH)
        if "/concerns/followup/" in m.get_body(("plain",)).get_content()
    ]
    assert len(asked) == 1
    assert asked[0]["To"] == "ana@example.org"
    assert concern.followup.token in asked[0].get_body(("html",)).get_content()
