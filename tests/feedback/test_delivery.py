"""A real Celery worker on Redis sends the answer to the submitter, in their language, once."""

import email
from email import policy
from pathlib import Path

import pytest

from feedback import services
from messaging.models import Message
from tests.conftest import wait_for
from tests.factories import ConcernFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _mails(directory: str) -> list[email.message.EmailMessage]:
    out = []
    for path in sorted(Path(directory).glob("*.log")):
        for chunk in path.read_bytes().split(b"-" * 79):
            if chunk.strip():
                out.append(email.message_from_bytes(chunk.strip() + b"\n", policy=policy.default))
    return out


def test_delivery_action_taken_reaches_the_submitter_in_spanish_through_a_worker(
    celery_worker, role_user, settings
):
    concern = ConcernFactory(language="es", contact_method="email", email="ana@example.org")
    staff = role_user("Liaison officer")
    services.concern_set_status(
        actor=staff,
        concern=concern,
        status="action_taken",
        responses={"es": "Hablamos con la escuela y ahora hay un guardia de cruce."},
    )
    message = wait_for(lambda: Message.objects.filter(status=Message.Status.SENT).first(), timeout=30)
    assert message is not None, Message.objects.values_list("status", "last_error")
    assert (message.language, message.address, message.attempts) == ("es", "ana@example.org", 1)
    mails = wait_for(lambda: _mails(settings.EMAIL_FILE_PATH), timeout=10)
    assert len(mails) == 1
    mail = mails[0]
    assert mail["To"] == "ana@example.org"
    assert (
        "Hablamos con la escuela y ahora hay un guardia de cruce." in mail.get_body(("plain",)).get_content()
    )
    html = mail.get_body(("html",)).get_content()
    assert 'lang="es"' in html

    # The same status saved again (a double click) is not a change: nothing more is sent.
    services.concern_set_status(
        actor=staff, concern=concern, status="action_taken", responses={"es": "Otra vez."}
    )
    assert Message.objects.count() == 1
