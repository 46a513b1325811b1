"""Safety alerts: drafted by a liaison, approved by a coordinator, sent once to the right
subscribers, shown on the public page and feed in the reader's language."""

import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import translation

from audit.models import Entry
from messaging.models import Message
from messaging.segments import sms_length
from outreach import alerts, notices, services
from outreach.models import SafetyAlert, Subscriber
from tests.factories import CommunityFactory, OutreachEventFactory, SubscriberFactory
from tests.outreach.alert_helpers import TEXTS, draft_alert, sent_alert, submitted_alert

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def people(role_user):
    return {
        "liaison": role_user("Liaison officer"),
        "coordinator": role_user("Coordinator"),
        "commander": role_user("Commander"),
    }


@pytest.fixture
def latino():
    return CommunityFactory(slug="latino", name="Latino", name_es="Latinos")


@pytest.fixture
def somali():
    return CommunityFactory(slug="somali", name="Somali")


def signed_in(client, user):
    client.force_login(user)
    return client


# --- Validation ---------------------------------------------------------------------------


def test_alert_precise_address_is_refused_with_a_clear_message_and_the_area_accepted(people, latino):
    with pytest.raises(ValidationError) as exc:
        draft_alert(people["liaison"], communities=[latino], area="123 Main St")
    assert "street address" in " ".join(exc.value.message_dict["area"])
    alert = draft_alert(people["liaison"], communities=[latino], area="near Main Street")
    assert alert.area == "near Main Street" and alert.status == SafetyAlert.Status.DRAFT


@pytest.mark.parametrize("text", ["Apt 4B", "#12", "12 rue Haute", "Calle Mayor 12", "شارع الملك 12"])
def test_alert_precise_address_in_the_text_is_refused_in_any_language(people, latino, text):
    with pytest.raises(ValidationError) as exc:
        draft_alert(people["liaison"], communities=[latino], body_es=f"Ocurrió en {text}.")
    assert "body_es" in exc.value.message_dict


def test_alert_form_refuses_an_address_in_the_readers_language_and_keeps_what_was_typed(
    client, people, latino
):
    signed_in(client, people["liaison"])
    data = {
        "kind": "scam",
        "area": "123 Main St",
        "title_en": "Scam",
        "body_en": "Beware",
        "communities": [latino.pk],
    }
    page = client.post("/es/outreach/alerts/new/", data)
    html = page.content.decode()
    assert page.status_code == 200 and not SafetyAlert.objects.exists()
    assert "123 Main St" in html and 'lang="es"' in html
    page = client.post("/en/outreach/alerts/new/", data)
    assert "This looks like a street address or a flat number" in page.content.decode()


def test_alert_needs_english_texts_and_a_community_or_everyone(client, people):
    signed_in(client, people["liaison"])
    page = client.post("/en/outreach/alerts/new/", {"kind": "scam", "area": "the East End"})
    html = page.content.decode()
    assert "Enter a headline in English" in html
    assert "Enter what people should know in English" in html
    assert "tick “Everyone”" in html
    assert not SafetyAlert.objects.exists()
    data = {"kind": "scam", "area": "the East End", "title_en": "Scam", "body_en": "Beware", "everyone": "on"}
    assert client.post("/en/outreach/alerts/new/", data).status_code == 302
    assert SafetyAlert.objects.get().communities.count() == 0


def test_alert_submit_needs_the_no_names_confirmation(client, people, latino):
    alert = draft_alert(people["liaison"], communities=[latino])
    signed_in(client, people["liaison"])
    page = client.get(f"/en/outreach/alerts/{alert.pk}/edit/")
    assert "No one is named and no address more precise than the area is given." in page.content.decode()
    page = client.post(f"/en/outreach/alerts/{alert.pk}/submit/", follow=True)
    assert "Tick the box to confirm" in page.content.decode()
    alert.refresh_from_db()
    assert alert.status == SafetyAlert.Status.DRAFT
    client.post(f"/en/outreach/alerts/{alert.pk}/submit/", {"confirm": "on"})
    alert.refresh_from_db()
    assert alert.status == SafetyAlert.Status.SUBMITTED and alert.submitted_at


# --- Approval and who gets it -----------------------------------------------------------


def test_alert_a_liaison_cannot_approve_or_withdraw(client, people, latino):
    alert = submitted_alert(people["liaison"], communities=[latino])
    with pytest.raises(PermissionDenied):
        services.alert_approve(actor=people["liaison"], alert=alert)
    signed_in(client, people["liaison"])
    assert client.get(f"/en/outreach/alerts/{alert.pk}/approve/").status_code == 403
    assert client.post(f"/en/outreach/alerts/{alert.pk}/approve/").status_code == 403
    assert client.post(f"/en/outreach/alerts/{alert.pk}/withdraw/").status_code == 403
    alert.refresh_from_db()
    assert alert.status == SafetyAlert.Status.SUBMITTED and not Message.objects.exists()


def test_alert_approve_goes_to_the_right_subscribers_once(people, latino, somali):
    wanted = [
        SubscriberFactory(language="es", wants_alerts=True, communities=[latino]),
        SubscriberFactory(language="ar", wants_alerts=True),  # every community
        SubscriberFactory(
            language="fr", wants_alerts=True, wants_meetings=False, communities=[latino, somali]
        ),
        SubscriberFactory(channel="sms", email="", phone="+14125550101", language="es", wants_alerts=True),
    ]
    SubscriberFactory(wants_alerts=False, communities=[latino])  # meeting notices only
    SubscriberFactory(wants_alerts=True, communities=[somali])  # another community
    SubscriberFactory(wants_alerts=True, confirmed_at=None)  # never confirmed
    SubscriberFactory(  # replied STOP
        channel="sms", email="", phone="+14125550102", wants_alerts=True, sms_stopped_at="2030-01-01T00:00Z"
    )
    alert = submitted_alert(people["liaison"], communities=[latino])
    queued = services.alert_approve(actor=people["coordinator"], alert=alert)
    assert queued == 4
    assert {m.key for m in Message.objects.all()} == {f"alert:{alert.pk}:sub:{s.pk}" for s in wanted}
    alert.refresh_from_db()
    assert (
        alert.status == SafetyAlert.Status.SENT
        and alert.sent_at
        and alert.approved_by == people["coordinator"]
    )
    # A double click, a retry: nothing more.
    assert services.alert_approve(actor=people["coordinator"], alert=alert) == 0
    assert Message.objects.count() == 4
    events = set(Entry.objects.filter(object_pk=str(alert.pk)).values_list("event", flat=True))
    assert {alerts.ALERT_SAVED, alerts.ALERT_SUBMITTED, alerts.ALERT_APPROVED} <= events


def test_alert_messages_are_in_the_subscribers_language_with_the_fallback_marked(people, latino):
    es = SubscriberFactory(language="es", wants_alerts=True)
    fr = SubscriberFactory(language="fr", wants_alerts=True)
    alert = sent_alert(people["liaison"], people["coordinator"], communities=[latino])
    spanish = Message.objects.get(key=alerts.alert_key(alert, es.pk))
    assert TEXTS["title_es"] in spanish.subject and TEXTS["body_es"] in spanish.body
    french = Message.objects.get(key=alerts.alert_key(alert, fr.pk))
    assert french.language == "fr" and TEXTS["title_en"] in french.subject
    for message in (spanish, french):
        assert "911" in message.body and f"/alerts/{alert.pk}/" in message.body
        assert "/concerns/new/" in message.body and "/unsubscribe/" in message.body
    assert "/fr/concerns/new/" in french.body
    assert 'class="fallback-note"' in french.html_body and 'lang="en"' in french.html_body
    assert 'class="fallback-note"' not in spanish.html_body


@pytest.mark.parametrize("language", ["es", "ar", "fr", "zh-hans", "so"])
def test_alert_sms_stays_within_the_segment_limit_and_keeps_the_safety_line_and_link(
    people, latino, language
):
    sub = SubscriberFactory(
        channel="sms", email="", phone="+14125550103", language=language, wants_alerts=True
    )
    long_body = {
        f"body_{c}": t * 8
        for c, t in (("en", TEXTS["body_en"]), ("es", TEXTS["body_es"]), ("ar", TEXTS["body_ar"]))
    }
    alert = sent_alert(people["liaison"], people["coordinator"], communities=[latino], **long_body)
    body = Message.objects.get(key=alerts.alert_key(alert, sub.pk)).body
    assert sms_length(body).segments <= 3
    assert "911" in body and f"/alerts/{alert.pk}/" in body and sub.unsubscribe_code in body


def test_alert_withdraw_hides_it_and_sends_nothing_more(client, people, latino):
    SubscriberFactory(wants_alerts=True)
    alert = sent_alert(people["liaison"], people["coordinator"], communities=[latino])
    assert client.get(f"/en/alerts/{alert.pk}/").status_code == 200
    signed_in(client, people["coordinator"])
    client.post(f"/en/outreach/alerts/{alert.pk}/withdraw/")
    alert.refresh_from_db()
    assert alert.status == SafetyAlert.Status.WITHDRAWN
    client.logout()
    assert client.get(f"/en/alerts/{alert.pk}/").status_code == 404
    assert str(alert.pk) not in client.get("/en/alerts/").content.decode().split("alert-list")[-1]
    with pytest.raises(ValidationError):
        services.alert_approve(actor=people["coordinator"], alert=alert)
    # The message not yet handed to a server is stopped, with the reason staff see.
    message = Message.objects.get()
    assert (message.status, message.last_error) == ("failed", "The alert was withdrawn before it was sent.")


def test_alert_approve_page_shows_the_preview_and_counts_per_language_and_channel(client, people, latino):
    SubscriberFactory(language="es", wants_alerts=True)
    SubscriberFactory(language="es", wants_alerts=True)
    SubscriberFactory(channel="sms", email="", phone="+14125550104", language="ar", wants_alerts=True)
    alert = submitted_alert(people["liaison"], communities=[latino])
    signed_in(client, people["coordinator"])
    html = client.get(f"/en/outreach/alerts/{alert.pk}/approve/").content.decode()
    assert TEXTS["title_en"] in html and "Approve and send" in html and "911" in html
    assert "3 subscribers will get it" in html
    assert "Español" in html and "العربية" in html and "Text message (SMS)" in html
    assert not Message.objects.exists()  # looking sends nothing
    client.post(f"/en/outreach/alerts/{alert.pk}/approve/")
    assert Message.objects.count() == 3


# --- Subscribers' choice -------------------------------------------------------------------


def test_meeting_notices_skip_subscribers_who_asked_for_alerts_only(people):
    both = SubscriberFactory(wants_alerts=True)
    alerts_only = SubscriberFactory(wants_alerts=True, wants_meetings=False)
    event = OutreachEventFactory()
    services.event_publish(actor=people["coordinator"], event=event)
    keys = set(Message.objects.values_list("key", flat=True))
    assert notices.notice_key(event, notices.PUBLISHED, both.pk) in keys
    assert not any(k.endswith(f":sub:{alerts_only.pk}") for k in keys)


def test_unsubscribe_forgets_the_address_in_alert_messages_too(client, people, latino):
    sub = SubscriberFactory(email="ana@example.org", wants_alerts=True)
    alert = sent_alert(people["liaison"], people["coordinator"], communities=[latino])
    client.post(f"/en/unsubscribe/{sub.unsubscribe_token}/")
    message = Message.objects.get(key=alerts.alert_key(alert, sub.pk))
    assert "ana@example.org" not in message.address
    assert not Message.objects.filter(Q(address__contains="ana@example.org")).exists()


# --- Public pages -------------------------------------------------------------------------


def test_alert_public_pages_show_only_sent_alerts_with_the_safe_reporting_block(
    client, people, latino, somali
):
    sent = sent_alert(people["liaison"], people["coordinator"], communities=[latino])
    draft = draft_alert(people["liaison"], communities=[latino], title_en="Draft headline")
    waiting = submitted_alert(people["liaison"], communities=[latino], title_en="Waiting headline")
    html = client.get("/es/alerts/").content.decode()
    assert TEXTS["title_es"] in html and "Draft headline" not in html and "Waiting headline" not in html
    assert 'rel="alternate" type="application/atom+xml"' in html and "/es/alerts/feed/" in html
    assert "911" in html and "/es/concerns/new/" in html
    for alert in (draft, waiting):
        assert client.get(f"/en/alerts/{alert.pk}/").status_code == 404
    detail = client.get(f"/ar/alerts/{sent.pk}/").content.decode()
    assert TEXTS["title_ar"] in detail and 'dir="rtl"' in detail and "911" in detail
    # Filtered by community: the other community's page does not list it.
    assert TEXTS["title_en"] in client.get("/en/alerts/?community=latino").content.decode()
    assert TEXTS["title_en"] not in client.get("/en/alerts/?community=somali").content.decode()
    assert TEXTS["title_en"] in client.get("/en/alerts/?community=no-such-place").content.decode()


def test_alert_detail_untranslated_language_says_so(client, people, latino):
    alert = sent_alert(people["liaison"], people["coordinator"], communities=[latino])
    html = client.get(f"/so/alerts/{alert.pk}/").content.decode()
    assert TEXTS["title_en"] in html and 'lang="en"' in html


def test_alert_feed_is_valid_atom_in_the_feeds_language(client, people, latino):
    sent_alert(people["liaison"], people["coordinator"], communities=[latino])
    sent_alert(
        people["liaison"],
        people["coordinator"],
        communities=[latino],
        title_es="",
        title_en="Second alert",
        languages=["ar"],
    )
    response = client.get("/es/alerts/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own answer
    assert root.tag == f"{ATOM}feed" and root.get("{http://www.w3.org/XML/1998/namespace}lang") == "es"
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles == ["Second alert", TEXTS["title_es"]]
    summaries = [e.findtext(f"{ATOM}summary") for e in root.iter(f"{ATOM}entry")]
    assert all("911" in s for s in summaries)
    with translation.override("es"):  # the fallback note, in the feed's language
        note = translation.gettext(
            "Not yet translated into your language: shown in the language it was written in."
        )
    assert (
        summaries[0].startswith(note)
        and note != "Not yet translated into your language: shown in the language it was written in."
    )
    assert not summaries[1].startswith(note)
    links = [e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")]
    assert all("/es/alerts/" in link for link in links)


def _many_alerts(people, latino, n):
    return [sent_alert(people["liaison"], people["coordinator"], communities=[latino]) for _ in range(n)]


@pytest.mark.parametrize("count", [1, 15])
def test_alert_list_query_count_is_pinned(client, people, latino, count, django_assert_num_queries):
    _many_alerts(people, latino, count)
    client.get("/en/alerts/")  # warm the session and caches
    with django_assert_num_queries(3):
        assert client.get("/en/alerts/").status_code == 200


@pytest.mark.parametrize("count", [1, 15])
def test_alert_feed_query_count_is_pinned(client, people, latino, count, django_assert_num_queries):
    _many_alerts(people, latino, count)
    with django_assert_num_queries(2):
        assert client.get("/en/alerts/feed/").status_code == 200


@pytest.mark.parametrize("count", [1, 15])
def test_staff_alert_list_query_count_is_pinned(client, people, latino, count, django_assert_num_queries):
    _many_alerts(people, latino, count)
    signed_in(client, people["coordinator"])
    client.get("/en/outreach/alerts/")
    with django_assert_num_queries(8):
        assert client.get("/en/outreach/alerts/").status_code == 200


def test_subscribers_default_is_meetings_only_for_rows_from_before_alerts():
    sub = SubscriberFactory()
    assert sub.wants_meetings and not sub.wants_alerts
    assert sub in notices.notice_recipients(OutreachEventFactory())
    assert Subscriber.objects.count() == 1
