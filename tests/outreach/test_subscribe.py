"""Signing up, confirming and stopping: double opt-in, a consent record, clear refusals."""

import re

import pytest
from django.core import signing

from messaging.models import Message
from outreach import notices, services
from outreach.models import Subscriber
from tests.factories import CommunityFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return CommunityFactory(slug="latino", name="Latino", name_es="Latinos")


def signup(client, lang="en", **data):
    form = {
        "channel": "email",
        "email": "ana@example.org",
        "language": lang,
        "consent": "on",
        "wants_meetings": "on",
    }
    form.update(data)
    return client.post(f"/{lang}/subscribe/", {k: v for k, v in form.items() if v is not None})


def confirm_link(message: Message) -> str:
    return re.search(r"https?://[^/]+(/\w\w/subscribe/confirm/[^/\s]+/)", message.body).group(1)


def test_subscribe_page_says_call_911_above_the_form_in_the_visitors_language(client):
    html = client.get("/es/subscribe/").content.decode()
    assert 'lang="es"' in html
    form_at = html.index('<form method="post"')
    line = html.index("not-emergency")
    assert line < form_at and "911" in html[line:form_at]
    assert "llame al 911" in html  # the site-wide banner, translated


def test_subscribe_stores_an_unconfirmed_subscriber_and_queues_only_the_confirmation(client, community):
    response = signup(client, lang="es", communities=["latino"])
    assert response.status_code == 302 and response["Location"] == "/es/subscribe/done/"
    sub = Subscriber.objects.get()
    assert sub.email == "ana@example.org" and sub.language == "es" and not sub.is_confirmed
    assert sub.consent_version == services.CONSENT_VERSION
    assert sub.consent_method == "web form /es/subscribe/"
    assert sub.consent_text and sub.consent_at
    (message,) = Message.objects.all()
    assert message.key.startswith(f"subscriber:{sub.pk}:confirm:")
    assert message.language == "es"
    assert confirm_link(message).startswith("/es/subscribe/confirm/")
    # A double click queues no second confirmation.
    signup(client, lang="es", communities=["latino"])
    assert Message.objects.count() == 1 and Subscriber.objects.count() == 1


def test_confirm_link_confirms_and_applies_the_choices(client, community):
    signup(client, lang="es", communities=["latino"])
    link = confirm_link(Message.objects.get())
    page = client.get(link)
    assert page.status_code == 200 and "ana@example.org" in page.content.decode()
    assert not Subscriber.objects.get().is_confirmed  # a link scanner's GET confirms nothing
    assert client.post(link).status_code == 200
    sub = Subscriber.objects.get()
    assert sub.is_confirmed and list(sub.communities.all()) == [community]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"channel": "sms", "email": "", "phone": "12345"}, "phone", "Enter a phone number that can receive"),
        ({"channel": "sms", "email": "", "phone": "+1 800 555 0100"}, "phone", ""),
        ({"communities": ["no-such-community"]}, "communities", "Choose communities from the list."),
        ({"consent": None}, "consent", "Tick the box to say you want the notices."),
        ({"language": "xx"}, "language", "Choose a language from the list."),
        ({"channel": "pigeon"}, "channel", ""),
    ],
)
def test_subscribe_bad_input_is_refused_clearly_and_nothing_is_stored_or_sent(
    client, community, data, field, message
):
    response = signup(client, **data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'id="error_1_id_{field}"' in html or f"#id_{field}" in html
    if message:
        assert message in html
    assert not Subscriber.objects.exists()
    assert not Message.objects.exists()


def test_subscribe_error_is_shown_in_the_visitors_language(client):
    response = client.post(
        "/es/subscribe/", {"channel": "email", "email": "ana@", "language": "es", "consent": "on"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hay un problema" in html
    from django.utils import translation

    with translation.override("es"):
        expected = translation.gettext("Enter a valid email address.")
    assert expected != "Enter a valid email address."
    assert expected in html
    assert not Subscriber.objects.exists()


def test_subscribe_by_phone_stores_the_number_in_international_form(client):
    signup(client, channel="sms", email="", phone="(412) 555-0123")
    sub = Subscriber.objects.get()
    assert sub.phone == "+14125550123" and sub.channel == "sms"
    message = Message.objects.get()
    assert message.channel == "sms" and message.address == "+14125550123"


def test_confirm_link_expired_says_so_and_changes_nothing(client, community, settings):
    signup(client, communities=["latino"])
    link = confirm_link(Message.objects.get())
    settings.OUTREACH_CONFIRM_HOURS = -1  # every link is now past its age
    response = client.post(link)
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert not Subscriber.objects.get().is_confirmed


def test_confirm_link_forged_says_so_and_changes_nothing(client, community):
    signup(client)
    sub = Subscriber.objects.get()
    forged = signing.dumps({"s": sub.pk, "l": "en", "c": []}, salt="not-the-right-salt")
    for token in (forged, "nonsense", confirm_link(Message.objects.get()).split("/")[-2][:-3] + "abc"):
        response = client.post(f"/en/subscribe/confirm/{token}/")
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    assert not Subscriber.objects.get().is_confirmed


def test_unsubscribe_sms_short_code_deletes_the_number(client):
    sub = SubscriberFactory(channel="sms", email="", phone="+14125550111")
    page = client.get(f"/en/unsubscribe/{sub.unsubscribe_code}/")
    assert page.status_code == 200 and "+14125550111" in page.content.decode()
    assert Subscriber.objects.filter(pk=sub.pk).exists()  # a GET stops nothing
    assert client.post(f"/en/unsubscribe/{sub.unsubscribe_code}/").status_code == 200
    assert not Subscriber.objects.filter(phone="+14125550111").exists()


def test_unsubscribe_forged_or_guessed_token_says_so_and_changes_nothing(client):
    sub = SubscriberFactory()
    signed = signing.TimestampSigner(salt=notices.UNSUBSCRIBE_SALT).sign(sub.unsubscribe_code)
    for token in (
        f"{sub.unsubscribe_token[:-2]}xx",
        "guessed-code",
        f"{signed[:-2]}xx",
        signing.TimestampSigner(salt="another-salt").sign(sub.unsubscribe_code),
    ):
        response = client.post(f"/en/unsubscribe/{token}/")
        assert response.status_code == 400 and "This link does not work" in response.content.decode()
    assert Subscriber.objects.filter(pk=sub.pk).exists()


def test_unsubscribe_stops_queued_notices_and_removes_the_address_from_the_outbox(client):
    sub = SubscriberFactory(email="gone@example.org")
    Message.objects.create(
        key=f"event:1:published:sub:{sub.pk}", channel="email", address=sub.email, language="en", body="x"
    )
    other = Message.objects.create(
        key="concern:9:reply", channel="email", address=sub.email, language="en", body="y"
    )
    services.subscriber_unsubscribe(token=sub.unsubscribe_code)
    stopped = Message.objects.get(key=f"event:1:published:sub:{sub.pk}")
    assert stopped.status == "failed" and stopped.address == "(removed)"
    other.refresh_from_db()
    assert other.address == sub.email and other.status == "queued"  # another app's message is untouched


def test_unconfirmed_signups_are_deleted_once_their_link_expires(settings):
    from django.utils import timezone

    pending = SubscriberFactory(confirmed_at=None)
    SubscriberFactory()
    Subscriber.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - timezone.timedelta(hours=settings.OUTREACH_CONFIRM_HOURS + 1),
        consent_at=timezone.now() - timezone.timedelta(hours=settings.OUTREACH_CONFIRM_HOURS + 1),
    )
    assert services.subscribers_purge_unconfirmed() == 1
    assert Subscriber.objects.count() == 1


def test_subscribe_is_rate_limited_per_connection(client, settings):
    for i in range(10):
        signup(client, email=f"p{i}@example.org")
    response = signup(client, email="eleventh@example.org")
    assert response.status_code == 200
    assert "Too many sign-ups" in response.content.decode()
    assert not Subscriber.objects.filter(email="eleventh@example.org").exists()


@pytest.mark.parametrize(
    ("choice", "meetings", "alerts"),
    [
        ({"wants_meetings": None, "wants_alerts": "on"}, False, True),
        ({"wants_meetings": "on"}, True, False),
        ({"wants_meetings": "on", "wants_alerts": "on"}, True, True),
    ],
)
def test_subscribe_choice_of_alerts_and_meetings_is_stored_at_confirmation(
    client, community, choice, meetings, alerts
):
    page = client.get("/en/subscribe/").content.decode()
    signup(client, communities=["latino"], **choice)
    sub = Subscriber.objects.get()
    # The consent stored is the sentence the form showed, whatever was ticked.
    assert sub.consent_text.startswith("I want the messages I ticked above (meeting notices, safety alerts")
    assert sub.consent_text in page
    link = confirm_link(Message.objects.get())
    page = client.get(link).content.decode()
    assert ("safety alerts" in page) == alerts
    client.post(link)
    sub.refresh_from_db()
    assert sub.is_confirmed and (sub.wants_meetings, sub.wants_alerts) == (meetings, alerts)


def test_subscribe_needs_meetings_or_alerts_ticked(client, community):
    html = signup(client, wants_meetings=None).content.decode()
    assert "Tick meeting notices, safety alerts or both: at least one." in html
    assert not Subscriber.objects.exists() and not Message.objects.exists()


def test_subscribe_form_shows_both_boxes_ticked_and_the_words_name_alerts(client):
    html = client.get("/en/subscribe/").content.decode()
    assert "Meeting notices" in html and "Safety alerts for my communities" in html
    assert html.count("checked") >= 2 and "I want the messages I ticked above" in html


def test_confirm_link_from_before_alerts_keeps_working_and_keeps_meetings_only(client, community):
    sub = SubscriberFactory(confirmed_at=None)
    old = signing.dumps(
        {"s": sub.pk, "l": "es", "c": [community.pk]}, salt=notices.CONFIRM_SALT, compress=True
    )
    assert client.post(f"/es/subscribe/confirm/{old}/").status_code == 200
    sub.refresh_from_db()
    assert sub.is_confirmed and sub.wants_meetings and not sub.wants_alerts and sub.language == "es"


def test_an_already_confirmed_subscriber_gets_alerts_only_after_confirming_again(client, community):
    sub = SubscriberFactory(email="ana@example.org")
    signup(client, wants_alerts="on")
    sub.refresh_from_db()
    assert not sub.wants_alerts  # not before the link is followed
    client.post(confirm_link(Message.objects.get()))
    sub.refresh_from_db()
    assert sub.wants_alerts and sub.wants_meetings
