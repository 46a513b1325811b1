"""What a notice says, in whose language, and how to stop it: read at a real SMTP server."""

import datetime as dt
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from messaging.models import Message
from messaging.segments import sms_length
from outreach import services
from outreach.models import Subscriber
from tests.factories import CommunityFactory, OutreachEventFactory, SubscriberFactory, UserFactory

# Transactional: notices leave only after the publishing transaction commits.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def coordinator():
    # A superuser: transactional tests flush the roles the migrations created.
    return UserFactory(is_superuser=True)


def html_part(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def text_part(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def by_recipient(server) -> dict:
    return {str(m["To"]): m for m in server.messages}


def test_notice_in_spanish_with_spanish_title_and_english_fallback(coordinator, smtp_in_process):
    ana = SubscriberFactory(email="ana@example.org", language="es")
    start = dt.datetime(2031, 11, 18, 18, 0, tzinfo=ZoneInfo("America/New_York"))
    translated = OutreachEventFactory(
        title_en="Know Your Rights",
        title_es="Conozca sus derechos",
        start=start,
        end=start + dt.timedelta(hours=2),
    )
    untranslated = OutreachEventFactory(
        title_en="Youth soccer opener",
        start=start + dt.timedelta(days=1),
        end=start + dt.timedelta(days=1, hours=2),
    )
    services.event_publish(actor=coordinator, event=translated)
    services.event_publish(actor=coordinator, event=untranslated)

    subjects = sorted(str(m["Subject"]) for m in smtp_in_process.messages)
    assert any("Conozca sus derechos" in s for s in subjects)
    assert any("Youth soccer opener" in s for s in subjects)  # no Spanish title: the English one
    first = next(m for m in smtp_in_process.messages if "Conozca" in str(m["Subject"]))
    body = text_part(first)
    # Dates in Spanish as US Spanish writes them (CLDR es_US: a 12-hour clock), in the event's zone.
    assert "martes" in body and "noviembre" in body and "6:00" in body and "p.m." in body
    assert "hora" in body  # the zone's name, in Spanish
    assert first["Content-Language"] == "es"
    assert Message.objects.filter(address=ana.email, language="es", status="sent").count() == 2


def test_notice_to_arabic_subscriber_is_right_to_left(coordinator, smtp_in_process):
    SubscriberFactory(email="omar@example.org", language="ar")
    event = OutreachEventFactory(title_en="Community base meeting", title_ar="اجتماع القاعدة المجتمعية")
    services.event_publish(actor=coordinator, event=event)
    (message,) = smtp_in_process.messages
    html = html_part(message)
    assert '<html lang="ar" dir="rtl">' in html
    assert 'dir="rtl"' in html.split("<body", 1)[1]
    assert "اجتماع القاعدة المجتمعية" in html
    assert message["Content-Language"] == "ar"


def test_notice_email_carries_one_click_unsubscribe_that_deletes_the_address(
    coordinator, smtp_in_process, client
):
    sub = SubscriberFactory(email="leave@example.org", language="es")
    services.event_publish(actor=coordinator, event=OutreachEventFactory())
    (message,) = smtp_in_process.messages
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(.+)>", str(message["List-Unsubscribe"]).strip()).group(1)
    assert url.endswith(f"/es/unsubscribe/{sub.unsubscribe_token}/")  # their own, never expiring
    assert url in text_part(message)  # the same link is in the text for a person to follow
    # A mail program's one-click POST (RFC 8058): no form, no CSRF token.
    response = client.post(urlsplit(url).path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscriber.objects.filter(pk=sub.pk).exists()
    assert not Message.objects.filter(address="leave@example.org").exists()


def test_notice_gives_time_in_the_events_own_time_zone(coordinator, smtp_in_process):
    SubscriberFactory(language="en")
    start = dt.datetime(2031, 6, 3, 19, 30, tzinfo=ZoneInfo("America/Chicago"))
    event = OutreachEventFactory(start=start, end=start + dt.timedelta(hours=1), time_zone="America/Chicago")
    services.event_publish(actor=coordinator, event=event)
    body = text_part(smtp_in_process.messages[0])
    assert "19:30" in body or "7:30" in body
    assert "Central Daylight Time" in body  # the event's own zone, named in full


def test_sms_notice_fits_three_segments_in_arabic_and_keeps_the_stop_link(coordinator, settings):
    settings.SMS_MAX_SEGMENTS = 3
    sub = SubscriberFactory(channel="sms", email="", phone="+14125550177", language="ar")
    event = OutreachEventFactory(
        title_en="Meeting",
        title_ar="اجتماع مجتمعي مع ضباط الاتصال حول السلامة في الحي والاحتيال الهاتفي " * 2,
        interpretation_languages=["ar", "so", "ne"],
    )
    services.event_publish(actor=coordinator, event=event)
    message = Message.objects.get(channel="sms")
    length = sms_length(message.body)
    assert length.encoding == "UCS-2"
    assert length.segments <= 3
    assert message.body.rstrip().endswith(f"/ar/unsubscribe/{sub.unsubscribe_code}/")
    assert f"/ar/events/{event.pk}/" in message.body


def test_sms_notice_in_english_uses_the_longer_gsm_segments(coordinator):
    SubscriberFactory(channel="sms", email="", phone="+14125550178", language="en")
    services.event_publish(actor=coordinator, event=OutreachEventFactory(title_en="Forum on phone scams"))
    length = sms_length(Message.objects.get(channel="sms").body)
    assert length.encoding == "GSM-7"
    assert length.segments <= 3


def test_notices_are_rendered_once_per_language_for_a_large_audience(
    coordinator, django_assert_max_num_queries
):
    community = CommunityFactory()
    subs = [
        Subscriber(
            channel="email",
            email=f"s{i}@example.org",
            language=["en", "es", "ar"][i % 3],
            confirmed_at=timezone.now(),
            consent_at=timezone.now(),
            consent_method="t",
            consent_version="t",
            consent_text="t",
            unsubscribe_code=f"code{i:07d}",
        )
        for i in range(300)
    ]
    Subscriber.objects.bulk_create(subs)
    event = OutreachEventFactory(communities=[community])
    from bridge.celery import app

    app.conf.task_always_eager = False  # count the queueing alone; nothing is dispatched
    try:
        from django.db import transaction

        with django_assert_max_num_queries(40), transaction.atomic():
            queued = services.event_publish(actor=coordinator, event=event)
            transaction.set_rollback(True)
    finally:
        app.conf.task_always_eager = True
    assert queued == 300
