"""Texting back STOP, START or HELP through Twilio's webhook, in the sender's language, with the
signature checked; and the unsubscribe link of an e-mail notice that never expires."""

import json
import logging
import time
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.core import signing
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext
from twilio.request_validator import RequestValidator

from audit import events as audit_events
from audit.models import Entry
from languages import registry
from messaging import services as messaging
from messaging.models import Message, SmsOptOut
from outreach import notices, services, sms_replies
from outreach.models import Subscriber
from tests.factories import CommunityFactory, OutreachEventFactory, SubscriberFactory, UserFactory

pytestmark = pytest.mark.django_db

WEBHOOK = "/sms/inbound/"
AUTH_TOKEN = "test-twilio-auth-token"  # noqa: S105 - a test's own token
SITE = "https://bridge.example.org"
UNIT = "Carrick Community Liaison Unit"
TWO_YEARS = timedelta(days=2 * 366)


@pytest.fixture(autouse=True)
def twilio(settings):
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.SITE_URL = SITE
    settings.BRIDGE_UNIT_NAME = UNIT
    settings.EMERGENCY_NUMBER = "911"
    settings.OUTREACH_SMS_REPLY_RATE = "100/h"
    cache.clear()  # the reply limit counts per number in the shared cache


@pytest.fixture
def coordinator():
    return UserFactory(is_superuser=True)


def text(
    client, phone: str, body: str, *, token: str = AUTH_TOKEN, url: str | None = None, signed=True, **more
):
    """Post what Twilio posts for an incoming SMS, signed as Twilio signs it."""
    params = {
        "MessageSid": "SM" + "0" * 32,
        "AccountSid": "AC" + "1" * 32,
        "From": phone,
        "To": "+14125550000",
        "Body": body,
        "NumMedia": "0",
        **more,
    }
    headers = {}
    if signed:
        signature = RequestValidator(token).compute_signature(url or SITE + WEBHOOK, params)
        headers["HTTP_X_TWILIO_SIGNATURE"] = signature
    return client.post(
        WEBHOOK, urlencode(params), content_type="application/x-www-form-urlencoded", **headers
    )


def reply_of(response) -> str | None:
    """The text of the TwiML <Message>, or None for an empty <Response/>."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - the app's own answer, in a test
    assert root.tag == "Response"
    messages = root.findall("Message")
    assert len(messages) <= 1
    return messages[0].text if messages else None


def in_language(language: str, msgid: str, **values) -> str:
    with translation.override(language):
        return gettext(msgid) % values if values else gettext(msgid)


def publish_and_send(coordinator, django_capture_on_commit_callbacks):
    event = OutreachEventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_publish(actor=coordinator, event=event)
    return event


def sms_rows(phone: str):
    return Message.objects.filter(channel="sms", address=phone)


# --- STOP, START and HELP in three languages ---------------------------------------------

LANGUAGES = [
    # language, phone, STOP, START, HELP as a person might type them
    ("en", "+14125550101", "Stop", "START", "help"),
    ("es", "+14125550102", "¡Alto!", " alta ", "AYUDA"),
    ("ar", "+14125550103", "توقف", "ابدأ", "مساعدة"),
]


@pytest.mark.parametrize(("language", "phone", "stop", "start", "help_"), LANGUAGES)
def test_sms_reply_stop_start_help_in_the_subscribers_language(
    client, coordinator, django_capture_on_commit_callbacks, caplog, language, phone, stop, start, help_
):
    caplog.set_level(logging.DEBUG)
    community = CommunityFactory()
    sub = SubscriberFactory(channel="sms", email="", phone=phone, language=language, communities=[community])

    # STOP: confirmed in their language; the next notice does not reach them.
    reply = reply_of(text(client, phone, stop))
    assert UNIT in reply
    assert in_language(language, "You will get no more text messages from %(unit)s.", unit=UNIT) in reply
    assert in_language(language, "Reply START to come back.") in reply
    sub.refresh_from_db()
    assert sub.sms_stopped_at is not None
    assert messaging.sms_opted_out(phone=phone)
    publish_and_send(coordinator, django_capture_on_commit_callbacks)
    assert not sms_rows(phone).exists()

    # START: back, with the same language and communities; the next notice reaches them.
    reply = reply_of(text(client, phone, start))
    welcome = "Welcome back: you will get meeting notices from %(unit)s again."
    assert in_language(language, welcome, unit=UNIT) in reply
    sub.refresh_from_db()
    assert sub.sms_stopped_at is None and not messaging.sms_opted_out(phone=phone)
    assert sub.language == language and list(sub.communities.all()) == [community]
    publish_and_send(coordinator, django_capture_on_commit_callbacks)
    (notice,) = sms_rows(phone)
    assert notice.status == "sent" and notice.language == language

    # HELP: who, what, how to stop, and the emergency number, in their language.
    reply = reply_of(text(client, phone, help_))
    assert UNIT in reply and "911" in reply
    assert in_language(language, "In an emergency, call %(number)s.", number="911") in reply
    assert in_language(language, "Reply STOP to stop them.") in reply

    # Nothing personal in the logs: neither the number nor what was texted.
    for secret in (phone, phone[1:], stop.strip(" ¡!"), help_):
        assert secret not in caplog.text


def test_sms_reply_help_in_spanish_and_arabic_reads_the_catalogue():
    """The emergency line's sentence is already translated: the answer really is in Spanish
    and Arabic, not English with a Spanish label."""
    english = "In an emergency, call 911."
    for language in ("es", "ar"):
        emergency = in_language(language, "In an emergency, call %(number)s.", number="911")
        assert emergency != english
        answer = _expected(language, sms_replies.HELP)
        assert emergency in answer and UNIT in answer and english not in answer


def test_sms_reply_from_an_unknown_number_answers_in_the_keywords_language(client):
    phone = "+14125550104"
    reply = reply_of(text(client, phone, "ALTO"))
    assert reply == _expected("es", sms_replies.STOP)
    assert messaging.sms_opted_out(phone=phone)  # no SMS of any kind any more
    assert not Subscriber.objects.filter(phone=phone).exists()
    # START only lifts the opt-out: it never subscribes a number without the double opt-in.
    reply = reply_of(text(client, phone, "ابدأ"))
    assert reply == _expected("ar", sms_replies.START)
    assert not messaging.sms_opted_out(phone=phone) and not Subscriber.objects.filter(phone=phone).exists()
    # An English word, from nobody we know: English.
    assert reply_of(text(client, phone, "INFO")) == _expected("en", sms_replies.HELP)


def _expected(language: str, action: str, subscriber=None) -> str:
    with translation.override(language):
        return sms_replies.reply_text(action, subscriber=subscriber)


def test_sms_reply_uses_the_stored_language_over_the_keywords(client):
    sub = SubscriberFactory(channel="sms", email="", phone="+14125550105", language="so")
    reply = reply_of(text(client, sub.phone, "STOP"))  # an English word from a Somali subscriber
    assert reply == _expected("so", sms_replies.STOP)


def test_sms_reply_twilio_opt_out_type_counts_when_the_word_is_not_in_our_list(client):
    sub = SubscriberFactory(channel="sms", email="", phone="+14125550106", language="fr")
    reply = reply_of(text(client, sub.phone, "NO MORE PLEASE", OptOutType="STOP"))
    assert reply == _expected("fr", sms_replies.STOP)
    sub.refresh_from_db()
    assert sub.sms_stopped_at is not None


def test_sms_reply_stop_and_start_leave_an_audit_entry_without_the_number(client):
    sub = SubscriberFactory(channel="sms", email="", phone="+14125550107", language="en")
    text(client, sub.phone, "STOP")
    text(client, sub.phone, "STOP")  # a second STOP changes nothing and records nothing
    text(client, sub.phone, "START")
    entries = list(Entry.objects.filter(event__startswith="subscriber.sms").order_by("pk"))
    assert [e.event for e in entries] == [audit_events.SUBSCRIBER_SMS_STOP, audit_events.SUBSCRIBER_SMS_START]
    for entry in entries:
        assert entry.object_pk == str(sub.pk)
        recorded = json.dumps(entry.data) + entry.object_repr
        assert sub.phone not in recorded and sub.phone[2:] not in recorded


def test_sms_reply_other_messages_get_no_answer_and_change_nothing(client, caplog):
    caplog.set_level(logging.DEBUG)
    sub = SubscriberFactory(channel="sms", email="", phone="+14125550108")
    for body in ("Thank you, I will come with my son", "Stop by the library?", "yes please", "", "🙂"):
        assert reply_of(text(client, sub.phone, body)) is None
    sub.refresh_from_db()
    assert sub.sms_stopped_at is None and not SmsOptOut.objects.exists()
    assert "my son" not in caplog.text and sub.phone not in caplog.text


def test_sms_reply_is_xml_escaped(client, settings):
    settings.BRIDGE_UNIT_NAME = "Police & Community <Liaison>"
    response = text(client, "+14125550109", "HELP")
    assert b"&amp; Community &lt;Liaison&gt;" in response.content
    assert "Police & Community <Liaison>" in reply_of(response)


def test_sms_reply_answers_stop_at_most_the_rate_but_always_stops(client, settings):
    settings.OUTREACH_SMS_REPLY_RATE = "2/h"
    phone = "+14125550110"
    answers = [reply_of(text(client, phone, "HELP")) for _ in range(3)]
    assert answers[0] and answers[1] and answers[2] is None  # a loop with an auto-reply ends here
    assert reply_of(text(client, phone, "STOP")) is None  # unanswered, but done
    assert messaging.sms_opted_out(phone=phone)
    assert reply_of(text(client, "+14125550111", "HELP"))  # another number has its own count


# --- The signature ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "how",
    ["wrong token", "no signature", "signed for another address", "body changed", "no auth token set"],
)
def test_sms_reply_without_a_valid_signature_is_refused_and_changes_nothing(client, settings, how):
    sub = SubscriberFactory(channel="sms", email="", phone="+14125550112")
    if how == "wrong token":
        response = text(client, sub.phone, "STOP", token="not-the-token")  # noqa: S106
    elif how == "no signature":
        response = text(client, sub.phone, "STOP", signed=False)
    elif how == "signed for another address":
        # What request.build_absolute_uri() gives behind a proxy: not the address Twilio signed.
        response = text(client, sub.phone, "STOP", url="http://testserver" + WEBHOOK)
    elif how == "body changed":
        params = {"From": sub.phone, "Body": "HELP"}
        signature = RequestValidator(AUTH_TOKEN).compute_signature(SITE + WEBHOOK, params)
        response = client.post(
            WEBHOOK,
            urlencode({**params, "Body": "STOP"}),
            content_type="application/x-www-form-urlencoded",
            HTTP_X_TWILIO_SIGNATURE=signature,
        )
    else:
        settings.TWILIO_AUTH_TOKEN = ""
        response = text(client, sub.phone, "STOP", token="")
    assert response.status_code == 403
    sub.refresh_from_db()
    assert sub.sms_stopped_at is None
    assert not SmsOptOut.objects.exists()
    assert not Entry.objects.filter(event=audit_events.SUBSCRIBER_SMS_STOP).exists()


def test_sms_reply_webhook_takes_only_post(client):
    assert client.get(WEBHOOK).status_code == 405


# --- Every SMS, not only notices --------------------------------------------------------


def test_sms_to_a_number_that_replied_stop_is_failed_not_sent(
    client, django_capture_on_commit_callbacks, settings
):
    phone, other = "+14125550113", "+14125550114"
    text(client, phone, "STOP")
    outgoing = [
        messaging.Outgoing(key=f"test:{n}", channel="sms", address=n, language="en", subject="", body="Hello")
        for n in (phone, other)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        messaging.message_queue(outgoing=outgoing)
    stopped, sent = Message.objects.get(address=phone), Message.objects.get(address=other)
    assert stopped.status == "failed" and stopped.last_error == "recipient replied STOP"
    assert sent.status == "sent"
    lines = (Path(settings.SMS_FILE_PATH) / "outbox.jsonl").read_text().splitlines()
    assert [json.loads(line)["to"] for line in lines] == [other]


def test_sms_batch_skips_a_number_that_replied_stop(client):
    phone, other = "+14125550115", "+14125550116"
    text(client, phone, "STOP")
    rows = [
        Message.objects.create(key=f"batch:{n}", channel="sms", address=n, language="en", body="Hello")
        for n in (phone, other)
    ]
    sent, rest = messaging.message_send_batch(message_ids=[r.pk for r in rows], budget_seconds=30)
    assert (sent, rest) == (1, [])
    stopped = Message.objects.get(address=phone)
    assert stopped.status == "failed" and stopped.last_error == "recipient replied STOP"
    # After START the outbox sends to the number again ("send again" in the admin, say).
    text(client, phone, "START")
    messaging.message_retry(message_ids=[stopped.pk])
    assert messaging.message_send(message_id=stopped.pk) == "sent"


# --- Keywords -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "action", "language"),
    [
        ("stop", "stop", "en"),
        ("  Stop!  ", "stop", "en"),
        ("STOP ALL", "stop", "en"),
        ("Unsubscribe.", "stop", "en"),
        ("¡Alto!", "stop", "es"),
        ("Arrêt", "stop", "fr"),
        ("ARRET", "stop", "fr"),
        ("«arrêt»", "stop", "fr"),
        ("DỪNG", "stop", "vi"),
        ("dung", "stop", "vi"),
        ("Dừng lại", "stop", "vi"),
        ("JOOJI", "stop", "so"),
        ("Simama", "stop", "sw"),
        ("SAIR", "stop", "pt-br"),
        ("Sispann", "stop", "ht"),
        ("NDALO", "stop", "sq"),
        ("توقف", "stop", "ar"),
        ("إيقاف", "stop", "ar"),
        ("ايقاف", "stop", "ar"),
        ("रोक्नुहोस्।", "stop", "ne"),
        ("退订", "stop", "zh-hans"),
        ("停止。", "stop", "zh-hans"),
        ("روکیں", "stop", "ur"),
        ("لغو", "stop", "fa"),
        ("বন্ধ", "stop", "bn"),
        ("ရပ်", "stop", "my"),
        ("unstop", "start", "en"),
        ("Yes", "start", "en"),
        ("ALTA", "start", "es"),
        ("début", "start", "fr"),
        ("bắt đầu", "start", "vi"),
        ("Kòmanse", "start", "ht"),
        ("HELP", "help", "en"),
        ("info?", "help", "en"),
        ("Ayuda", "help", "es"),
        ("AIDE", "help", "fr"),
        ("مساعدة", "help", "ar"),
        ("مساعده", "help", "ar"),
        ("Caawimo", "help", "so"),
        ("ndihme", "help", "sq"),
    ],
)
def test_sms_keyword_is_found_whatever_the_case_accents_spaces_and_punctuation(body, action, language):
    assert sms_replies.keyword(body) == (action, language)


@pytest.mark.parametrize(
    "body", ["Stop by at 6?", "Yes I will come", "help me find the room", "thanks", "", "STOP" * 20]
)
def test_sms_keyword_is_only_a_keyword_alone(body):
    assert sms_replies.keyword(body) is None


def test_sms_keywords_cover_every_declared_language_and_mean_one_thing_each():
    assert set(sms_replies.KEYWORDS) == set(registry.CODES)
    meaning: dict[str, str] = {}
    for words in sms_replies.KEYWORDS.values():
        assert set(words) == {sms_replies.STOP, sms_replies.START, sms_replies.HELP}
        for action, listed in words.items():
            for word in listed:
                assert meaning.setdefault(sms_replies.normalise(word), action) == action, word


@pytest.mark.parametrize("language", registry.CODES)
def test_sms_reply_fits_the_segment_limit_in_every_language(settings, language):
    settings.BRIDGE_UNIT_NAME = "Pittsburgh Bureau of Police Community Engagement and Liaison Office " * 2
    from messaging.segments import sms_length

    for action in (sms_replies.STOP, sms_replies.START, sms_replies.HELP):
        answer = _expected(language, action)
        assert sms_length(answer).segments <= settings.SMS_MAX_SEGMENTS
        if action == sms_replies.HELP:
            assert "911" in answer  # the emergency number never gives way


# --- An unsubscribe link that never expires ----------------------------------------------


class _Later:
    """time, as django.core.signing sees it, two years from now."""

    @staticmethod
    def time():
        return time.time() + TWO_YEARS.total_seconds()


def test_unsubscribe_link_in_an_email_notice_still_works_two_years_later(
    client, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    sub = SubscriberFactory(email="later@example.org", language="es")
    publish_and_send(coordinator, django_capture_on_commit_callbacks)
    notice = Message.objects.get(address=sub.email)
    url = notice.headers["List-Unsubscribe"].strip("<>")
    assert url in notice.body and sub.unsubscribe_token in url

    # Two years on: the outbox has long forgotten the message, the signer's clock has moved.
    later = timezone.now() + TWO_YEARS
    messaging.message_addresses_expire(now=later)
    services.subscribers_purge_unconfirmed(now=later)
    monkeypatch.setattr(signing, "time", _Later)
    response = client.post(urlsplit(url).path)
    assert response.status_code == 200
    assert not Subscriber.objects.filter(pk=sub.pk).exists()


def test_unsubscribe_old_signed_token_from_an_earlier_email_works_at_any_age(client):
    sub = SubscriberFactory(email="early@example.org")

    class TwoYearsAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time() - TWO_YEARS.total_seconds()))

    token = TwoYearsAgo(salt=notices.UNSUBSCRIBE_SALT).sign(sub.unsubscribe_code)
    page = client.get(f"/en/unsubscribe/{token}/")
    assert page.status_code == 200 and sub.email in page.content.decode()
    assert client.post(f"/en/unsubscribe/{token}/").status_code == 200
    assert not Subscriber.objects.filter(pk=sub.pk).exists()


def test_unsubscribe_tokens_are_each_subscribers_own():
    subs = SubscriberFactory.create_batch(3)
    tokens = {s.unsubscribe_token for s in subs}
    assert len(tokens) == 3 and all(len(t) >= 40 for t in tokens)
    assert services.subscriber_from_unsubscribe_token(subs[1].unsubscribe_token) == subs[1]
    assert services.subscriber_from_unsubscribe_token(subs[2].unsubscribe_code) == subs[2]
