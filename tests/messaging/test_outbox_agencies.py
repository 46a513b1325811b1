"""Each outbox row is sent inside its own agency: a fan-out started for agency B writes B's
rows, and a batch that mixes agencies (the sweep's) sends each row with its agency's sender
and checks it against its agency's STOP list, whatever agency the task itself carries."""

import json
import re
from pathlib import Path

import pytest
from django.core import mail

from agencies import conf as agency_conf
from agencies import context
from agencies.models import Agency
from messaging.models import Message
from messaging.services import message_send, message_send_batch, sms_opt_out
from outreach import services as outreach
from tests.factories import OutreachEventFactory, SubscriberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    a = Agency.objects.create(slug="ames", name="Ames Liaison Unit", sender_email="liaison@ames.example.org")
    b = Agency.objects.create(
        slug="boone", name="Boone Liaison Unit", sender_email="liaison@boone.example.org"
    )
    return a, b


def row(agency, key: str, channel: str = "email", address: str = "") -> Message:
    return Message.all_agencies.create(
        agency=agency,
        key=key,
        channel=channel,
        address=address or f"{key}@example.org",
        language="en",
        subject="Notice",
        body="The meeting is on Tuesday.",
    )


def test_a_fanout_started_for_agency_b_writes_b_rows_sent_from_b(
    agencies, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://bridge.example.org"
    settings.BRIDGE_AGENCY_DOMAIN = "bridge.example.org"
    a, b = agencies
    with context.use(a):
        SubscriberFactory(email="ames-resident@example.org")
    with context.use(b):
        subscribers = [SubscriberFactory(email=f"boone{i}@example.org") for i in range(3)]
        event = OutreachEventFactory()
        with django_capture_on_commit_callbacks(execute=True):
            assert outreach.event_publish(actor=UserFactory(is_superuser=True), event=event) == 3

    rows = Message.all_agencies.filter(key__startswith=f"event:{event.pk}:published:")
    assert set(rows.values_list("agency_id", flat=True)) == {b.pk}
    assert set(rows.values_list("status", flat=True)) == {"sent"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in subscribers)  # not Ames's resident
    assert {m.from_email for m in mail.outbox} == {"Boone Liaison Unit <liaison@boone.example.org>"}
    # Its links open on B's host, where B's subscribers are found (the default host serves A).
    for message in mail.outbox:
        links = re.findall(r"https?://[^/\s]+/", message.body)
        assert links and set(links) == {"https://boone.bridge.example.org/"}, links


def test_the_default_agency_keeps_site_url_and_an_agency_without_a_host_too(agencies, settings):
    a, b = agencies
    settings.SITE_URL = "http://bridge.example.org:8000"
    settings.BRIDGE_DEFAULT_AGENCY = "ames"
    settings.BRIDGE_AGENCY_DOMAIN = ""
    assert agency_conf.site_url(b) == "http://bridge.example.org:8000"  # no host of its own
    settings.BRIDGE_AGENCY_DOMAIN = "bridge.example.org"
    assert agency_conf.site_url(a) == "http://bridge.example.org:8000"  # the default agency
    assert agency_conf.site_url(b) == "http://boone.bridge.example.org:8000"
    b.domain = "liaison.boone.example"
    assert agency_conf.site_url(b) == "http://liaison.boone.example:8000"


def test_a_batch_mixing_agencies_sends_each_row_as_its_own_agency(agencies):
    a, b = agencies
    rows = [row(a, "mix-a0"), row(b, "mix-b0"), row(a, "mix-a1"), row(b, "mix-b1")]
    # The task carries agency A's header (its publisher's); the B rows are still claimed.
    with context.use(a):
        sent, rest = message_send_batch(message_ids=[r.pk for r in rows], budget_seconds=60)
    assert (sent, rest) == (4, [])
    senders = {m.to[0].split("@")[0]: m.from_email for m in mail.outbox}
    assert senders == {
        "mix-a0": "Ames Liaison Unit <liaison@ames.example.org>",
        "mix-a1": "Ames Liaison Unit <liaison@ames.example.org>",
        "mix-b0": "Boone Liaison Unit <liaison@boone.example.org>",
        "mix-b1": "Boone Liaison Unit <liaison@boone.example.org>",
    }
    assert context.current_id() is None  # nothing left set behind


def test_a_stop_to_one_agency_does_not_stop_another_agency_s_sms(agencies, settings):
    a, b = agencies
    phone = "+15155550100"
    with context.use(a):
        assert sms_opt_out(phone=phone)
    from_a = row(a, "sms-a", channel="sms", address=phone)
    from_b = row(b, "sms-b", channel="sms", address=phone)
    # Send tasks with no agency of their own (the sweep's).
    assert message_send(message_id=from_a.pk) == "failed"
    assert message_send(message_id=from_b.pk) == "sent"
    sms = [
        json.loads(line) for line in (Path(settings.SMS_FILE_PATH) / "outbox.jsonl").read_text().splitlines()
    ]
    assert [s["to"] for s in sms] == [phone]  # B's only
    assert Message.all_agencies.get(pk=from_a.pk).last_error == "recipient replied STOP"
