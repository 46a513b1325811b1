"""The pattern every task follows, run for real: a row committed in a transaction, a task
queued after commit with the row's id, a real Redis broker and a real worker process."""

from pathlib import Path

import pytest
from django.db import transaction

from messaging.models import Message
from messaging.services import Outgoing, message_queue
from tests.conftest import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def outgoing(key="test:1", address="amina@example.org"):
    return Outgoing(
        key=key,
        channel="email",
        address=address,
        language="es",
        subject="Reunión comunitaria",
        body="Hola: la reunión es el martes.",
    )


def test_outbox_real_worker_sends_committed_row_once(celery_worker, settings):
    with transaction.atomic():
        ids = message_queue(outgoing=[outgoing()])
        # Nothing is sent before the transaction commits.
        assert Message.objects.get(pk=ids[0]).status == "queued"
    assert wait_for(lambda: Message.objects.get(pk=ids[0]).status == "sent")
    files = list(Path(settings.EMAIL_FILE_PATH).glob("*.log"))
    assert len(files) == 1
    assert "Reunión comunitaria" in files[0].read_text(encoding="utf-8") or "=?utf-8?" in files[0].read_text()

    # A double click or a redelivered task: the same key queues nothing new, sends nothing twice.
    assert message_queue(outgoing=[outgoing()]) == []
    from messaging.tasks import send_message

    send_message.delay(ids[0])
    import time

    time.sleep(1.5)
    assert Message.objects.count() == 1
    assert Message.objects.get(pk=ids[0]).attempts == 1
    assert len(list(Path(settings.EMAIL_FILE_PATH).glob("*.log"))) == 1


def test_outbox_rolled_back_transaction_queues_and_sends_nothing(celery_worker, settings):
    with pytest.raises(RuntimeError), transaction.atomic():
        message_queue(outgoing=[outgoing(key="test:rollback")])
        raise RuntimeError("the change that caused the message failed")
    import time

    time.sleep(1.5)
    assert not Message.objects.filter(key="test:rollback").exists()
    assert not list(Path(settings.EMAIL_FILE_PATH).glob("*.log"))
