"""Done when: an approved alert reaches the right subscribers exactly once, through a real
worker, real Redis and a real SMTP server: Spanish, Arabic (right to left) and a language
without a translation (the fallback marked), by e-mail and SMS within the segment limit."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from messaging.models import Message
from messaging.segments import sms_length
from messaging.services import sms_max_segments
from outreach import services
from tests.conftest import wait_for
from tests.factories import CommunityFactory, SubscriberFactory, UserFactory
from tests.outreach.alert_helpers import TEXTS, submitted_alert

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_worker_delivers_an_approved_alert_once_to_the_right_subscribers(celery_worker_factory, smtp_server):
    from django.contrib.auth.models import Group

    celery_worker_factory()
    latino, somali = CommunityFactory(slug="latino"), CommunityFactory(slug="somali")
    ana = SubscriberFactory(email="ana@example.org", language="es", wants_alerts=True, communities=[latino])
    omar = SubscriberFactory(email="omar@example.org", language="ar", wants_alerts=True)
    faadumo = SubscriberFactory(
        email="faadumo@example.org", language="so", wants_alerts=True, wants_meetings=False
    )
    sms_es = SubscriberFactory(
        channel="sms", email="", phone="+14125550111", language="es", wants_alerts=True
    )
    sms_ar = SubscriberFactory(
        channel="sms", email="", phone="+14125550112", language="ar", wants_alerts=True
    )
    SubscriberFactory(email="meetings@example.org", wants_alerts=False)
    SubscriberFactory(email="other@example.org", wants_alerts=True, communities=[somali])
    SubscriberFactory(email="unconfirmed@example.org", wants_alerts=True, confirmed_at=None)
    liaison = UserFactory()
    liaison.groups.add(Group.objects.get(name="Liaison officer"))
    coordinator = UserFactory()
    coordinator.groups.add(Group.objects.get(name="Coordinator"))
    alert = submitted_alert(liaison, communities=[latino], body_ar=TEXTS["body_ar"] * 4)

    assert services.alert_approve(actor=coordinator, alert=alert) == 5
    assert services.alert_approve(actor=coordinator, alert=alert) == 0  # a double click

    assert wait_for(lambda: Message.objects.filter(status="sent").count() == 5, timeout=30)
    assert wait_for(lambda: len(smtp_server.messages) == 3, timeout=10)
    mail = {str(m["To"]): m for m in smtp_server.messages}
    assert set(mail) == {ana.email, omar.email, faadumo.email}

    spanish = mail[ana.email]
    assert TEXTS["title_es"] in str(spanish["Subject"])
    text = spanish.get_body(preferencelist=("plain",)).get_content()
    assert "911" in text and "/es/concerns/new/" in text and f"/es/alerts/{alert.pk}/" in text
    assert spanish["List-Unsubscribe"] and spanish["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    arabic = mail[omar.email].get_body(preferencelist=("html",)).get_content()
    assert '<html lang="ar" dir="rtl">' in arabic and TEXTS["title_ar"] in arabic

    somali_mail = mail[faadumo.email]
    assert somali_mail["Content-Language"] == "so" and TEXTS["title_en"] in str(somali_mail["Subject"])
    html = somali_mail.get_body(preferencelist=("html",)).get_content()
    assert 'class="fallback-note"' in html and 'lang="en"' in html

    sms = [
        json.loads(line) for line in (Path(settings.SMS_FILE_PATH) / "outbox.jsonl").read_text().splitlines()
    ]
    assert sorted(s["to"] for s in sms) == sorted([sms_es.phone, sms_ar.phone])
    for s in sms:
        assert sms_length(s["body"]).segments <= sms_max_segments()
        assert "911" in s["body"] and f"/alerts/{alert.pk}/" in s["body"]
    # Nothing more arrives later (no second copy from the second approval or a redelivery).
    assert not wait_for(lambda: len(smtp_server.messages) > 3, timeout=3)
