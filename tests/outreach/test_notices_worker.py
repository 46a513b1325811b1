"""Done when: a Spanish subscriber gets the Spanish notice where a Spanish title was entered
and the English fallback where it was not; an Arabic subscriber's e-mail is right to left.
Real Redis, a real worker process, a real SMTP server."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from messaging.models import Message
from outreach import services
from tests.conftest import wait_for
from tests.factories import OutreachEventFactory, SubscriberFactory, UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_worker_delivers_spanish_notice_english_fallback_and_right_to_left_arabic(
    celery_worker_factory, smtp_server
):
    celery_worker_factory()
    ana = SubscriberFactory(email="ana@example.org", language="es")
    omar = SubscriberFactory(email="omar@example.org", language="ar")
    coordinator = UserFactory(is_superuser=True)
    start = dt.datetime(2031, 11, 18, 18, 0, tzinfo=ZoneInfo("America/New_York"))
    translated = OutreachEventFactory(
        title_en="Know Your Rights",
        title_es="Conozca sus derechos",
        title_ar="اعرف حقوقك",
        start=start,
        end=start + dt.timedelta(hours=2),
    )
    untranslated = OutreachEventFactory(
        title_en="Youth soccer opener",
        start=start + dt.timedelta(days=4),
        end=start + dt.timedelta(days=4, hours=3),
    )
    services.event_publish(actor=coordinator, event=translated)
    services.event_publish(actor=coordinator, event=untranslated)

    assert wait_for(lambda: Message.objects.filter(status="sent").count() == 4, timeout=30)
    mail = {
        (str(m["To"]), "Conozca" in str(m["Subject"]) or "اعرف" in str(m["Subject"])): m
        for m in smtp_server.messages
    }
    assert len(smtp_server.messages) == 4

    spanish = mail[(ana.email, True)]
    assert "Conozca sus derechos" in str(spanish["Subject"])
    assert "noviembre" in spanish.get_body(preferencelist=("plain",)).get_content()
    fallback = mail[(ana.email, False)]
    assert "Youth soccer opener" in str(fallback["Subject"])
    assert fallback["Content-Language"] == "es"

    arabic = mail[(omar.email, True)]
    html = arabic.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="ar" dir="rtl">' in html and "اعرف حقوقك" in html
    assert arabic["List-Unsubscribe"] and arabic["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
