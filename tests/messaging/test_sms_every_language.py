"""Every SMS notice, in every declared language, fits its segments and keeps what, when and
where: the kind, the time, the place and the links of a meeting; the tracking code and the
status of a concern. Rendered through the real services and read from the outbox."""

import datetime as dt
import logging
import unicodedata

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from feedback import services as feedback_services
from feedback.models import Concern
from languages import content
from languages.registry import CODES
from messaging.models import Message
from messaging.rendering import format_when
from messaging.segments import ELLIPSIS_GSM, ELLIPSIS_UCS2, SmsPart, sms_compose, sms_length, sms_plain
from messaging.services import sms_max_segments
from outreach import notices, services
from outreach.models import OutreachEvent
from tests.factories import ConcernFactory, OutreachEventFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

TITLE_EN = (
    "Community safety meeting with the neighbourhood liaison officers about phone scams, "
    "package thefts, speeding on Brownsville Road and the new youth programme at the library"
)
TITLE_ES = (
    "Reunión comunitaria de seguridad con los oficiales de enlace del barrio sobre estafas "
    "telefónicas, robos de paquetes, exceso de velocidad y el nuevo programa juvenil"
)
TITLE_AR = (
    "اجتماع مجتمعي حول السلامة مع ضباط الاتصال في الحي بشأن الاحتيال الهاتفي وسرقة الطرود "
    "والسرعة الزائدة في شارع براونزفيل والبرنامج الجديد للشباب في المكتبة العامة للحي"
)
VENUE = (
    "Carrick Branch of the Carnegie Library of Pittsburgh, Community Room B on the second floor "
    "(the accessible entrance is on the Brownsville Road side, next to the bus shelter and bike racks)"
)
ADDRESS = (
    "1811 Brownsville Road, Carrick, Pittsburgh, Pennsylvania 15210, United States of America "
    "(between Parkfield Street and Madeline Street; free parking behind the building, enter from "
    "Parkfield Street; buses 51 and 51L stop in front of the library every fifteen minutes)"
)
RESPONSES = {  # a public response of about 500 characters; English where none is written here
    "en": " ".join(
        [
            "We spoke with the school and the traffic unit: officers will watch Penn Avenue every",
            "weekday morning from seven to nine for the next six weeks, a speed sign goes up next",
            "month, and the city's traffic engineers will study whether a crossing guard is needed.",
        ]
        * 2
    ),
    "es": " ".join(
        [
            "Hablamos con la escuela y con la unidad de tránsito: los agentes vigilarán la avenida",
            "Penn cada mañana de lunes a viernes, de siete a nueve, durante las próximas seis",
            "semanas; el mes que viene se instalará un radar y se estudiará poner un guardia.",
        ]
        * 2
    ),
    "ar": " ".join(
        [
            "تحدثنا مع المدرسة ووحدة المرور: سيراقب الضباط شارع بن كل صباح من أيام الأسبوع",
            "من السابعة إلى التاسعة خلال الأسابيع الستة القادمة، وستوضع لافتة للسرعة الشهر",
            "القادم، وسيدرس مهندسو المرور في المدينة الحاجة إلى حارس لعبور الطريق.",
        ]
        * 2
    ),
}
KINDS = (notices.PUBLISHED, notices.CHANGED, notices.CANCELLED, notices.REMINDER)


@pytest.fixture
def coordinator(role_user):
    return role_user("Coordinator")


@pytest.fixture
def no_guard_cut(caplog):
    """The outbox's last guard cuts from the end; a composed SMS must never need it."""
    caplog.set_level(logging.WARNING, logger="messaging.services")
    yield
    assert not [r for r in caplog.records if "shortened" in r.getMessage()]


def one_line(text: str) -> str:
    """What the SMS writes for a text: one line, typographic punctuation as ASCII."""
    return sms_plain(" ".join(str(text).split()))


def subscribers_in_every_language():
    return {
        code: SubscriberFactory(channel="sms", email="", phone=f"+1412555{i:04d}", language=code)
        for i, code in enumerate(CODES)
    }


def long_event(**fields) -> OutreachEvent:
    assert len(TITLE_EN) > 170 and len(VENUE) > 180 and len(ADDRESS) > 260
    return OutreachEventFactory(
        title_en=TITLE_EN,
        title_es=TITLE_ES,
        title_ar=TITLE_AR,
        venue_name=VENUE,
        address=ADDRESS,
        interpretation_languages=["es", "ar", "ne", "so", "sw"],
        **fields,
    )


def sms_by_language(event: OutreachEvent, kind: str) -> dict[str, str]:
    rows = Message.objects.filter(channel="sms", key__startswith=f"event:{event.pk}:{kind}:")
    return {m.language: m.body for m in rows}


def send(kind: str, coordinator) -> tuple[OutreachEvent, dt.datetime]:
    """Queue `kind` for a long event through the services; the event and its occurrence."""
    if kind == notices.REMINDER:
        # Ten tomorrow morning, so the meeting (3 to 5 pm) never crosses midnight, whenever
        # the suite runs; the reminder is queued as of then.
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        now = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(10)))
        event = long_event(start=now + dt.timedelta(hours=5), end=now + dt.timedelta(hours=7))
        services.event_publish(actor=coordinator, event=event)
        OutreachEvent.objects.filter(pk=event.pk).update(notified_at=now - dt.timedelta(days=7))
        assert services.reminders_queue_due(now=now) == len(CODES)
    else:
        event = long_event()
        services.event_publish(actor=coordinator, event=event)
        if kind == notices.CHANGED:
            later = dt.timedelta(days=1, minutes=30)
            services.event_update(
                actor=coordinator, event=event, start=event.start + later, end=event.end + later
            )
        elif kind == notices.CANCELLED:
            services.event_cancel(actor=coordinator, event=event)
    event.refresh_from_db()
    return event, event.start


def meeting_problems(code: str, body: str, event: OutreachEvent, kind: str, occurrence, sub) -> list[str]:
    problems = []
    with translation.override(code):
        when = one_line(format_when(occurrence, occurrence + event.duration, event.time_zone, short=True))
        event_url = settings.SITE_URL + reverse("outreach:event-detail", kwargs={"pk": event.pk})
        stop = settings.SITE_URL + reverse("outreach:unsubscribe", kwargs={"token": sub.unsubscribe_code})
        prefix = (
            one_line(translation.gettext(notices.SMS_PREFIXES[kind])) if kind in notices.SMS_PREFIXES else ""
        )
    length = sms_length(body)
    if length.segments > sms_max_segments():
        problems.append(f"{length.segments} segments ({length.encoding}, {length.units} units)")
    if not body.startswith(prefix):
        problems.append(f"does not start with {prefix!r}")
    if when not in body:
        problems.append(f"lost the time {when!r}")
    if VENUE[:10] not in body:
        problems.append("lost the venue")
    if f"\n{event_url}\n" not in body:
        problems.append(f"lost the event link {event_url}")
    if not body.endswith(stop):
        problems.append(f"lost the stop link {stop}")
    return problems


@pytest.mark.parametrize("kind", KINDS)
def test_sms_every_language_meeting_notice_keeps_kind_time_place_and_links(kind, coordinator, no_guard_cut):
    subs = subscribers_in_every_language()
    event, occurrence = send(kind, coordinator)
    bodies = sms_by_language(event, kind)
    assert set(bodies) == set(CODES)
    problems = {
        code: found
        for code, body in bodies.items()
        if (found := meeting_problems(code, body, event, kind, occurrence, subs[code]))
    }
    assert not problems, "\n".join(f"{c}: {p}\n{bodies[c]}" for c, p in problems.items())
    # The long title gave way, with the message's own ellipsis; the time did not.
    assert bodies["en"].count(ELLIPSIS_GSM) >= 1 and ELLIPSIS_UCS2 not in bodies["en"]
    assert ELLIPSIS_UCS2 in bodies["ar"] and TITLE_AR[:20] in bodies["ar"]
    assert TITLE_ES[:20] in bodies["es"] and TITLE_EN[:20] in bodies["en"]


def test_sms_every_language_concern_status_keeps_code_status_and_link(role_user, no_guard_cut):
    liaison = role_user("Liaison officer")
    concerns = {}
    for i, code in enumerate(CODES):
        concern = ConcernFactory(language=code, contact_method="phone", phone=f"+1412556{i:04d}")
        response = RESPONSES.get(code, RESPONSES["en"])
        feedback_services.concern_set_status(
            actor=liaison, concern=concern, status="action_taken", responses={code: response}
        )
        concerns[code] = concern
    problems = {}
    for code, concern in concerns.items():
        body = Message.objects.get(key__startswith=f"concern:{concern.pk}:status:").body
        with translation.override(code):
            status = one_line(Concern.Status.ACTION_TAKEN.label)
            url = settings.SITE_URL + reverse("feedback:concern-status", args=[concern.code])
        length = sms_length(body)
        found = [
            f"{length.segments} segments" if length.segments > sms_max_segments() else "",
            "" if concern.code_display in body else "lost the tracking code",
            "" if status in body else f"lost the status {status!r}",
            "" if body.endswith(url) else f"lost the status link {url}",
        ]
        if any(found):
            problems[code] = [f for f in found if f], body
    assert not problems, "\n".join(f"{c}: {p}\n{b}" for c, (p, b) in problems.items())


def test_sms_every_language_short_title_is_not_shortened(coordinator, no_guard_cut):
    subscribers_in_every_language()
    titles = {
        "title_en": "Know your rights forum",
        "title_es": "Conozca sus derechos",
        "title_ar": "اعرف حقوقك",
    }
    roomy = OutreachEventFactory(
        **titles, venue_name="Town Hall", address="1 Main St", interpretation_languages=[]
    )
    crowded = OutreachEventFactory(**titles, venue_name=VENUE, address=ADDRESS)
    for event in (roomy, crowded):
        services.event_publish(actor=coordinator, event=event)
    for code, body in sms_by_language(roomy, notices.PUBLISHED).items():
        title = content.localized(roomy, "title", code).text
        # A message that fits is sent whole: title, venue and address as they were entered.
        assert body.startswith(f"{title}. "), (code, body)
        assert f"{roomy.venue_name}, {roomy.address}." in body, (code, body)
        assert ELLIPSIS_GSM not in body and ELLIPSIS_UCS2 not in body, (code, body)
    for code, body in sms_by_language(crowded, notices.PUBLISHED).items():
        title = content.localized(crowded, "title", code).text
        # Too long: the interpretation list and the address give way, the short title does not.
        assert body.startswith(f"{title}. "), (code, body)
        assert VENUE[:20] in body and sms_length(body).segments <= sms_max_segments(), (code, body)


# --- sms_compose itself ----------------------------------------------------------------


def parts(title: str, when: str = "Tue, Dec 8, 6:00 - 8:00 PM EST") -> list[SmsPart]:
    return [
        SmsPart("kind", "CANCELLED:"),
        SmsPart("title", title, end=".", least=10, holds=True),
        SmsPart("when", when, end="."),
        SmsPart("venue", "Carrick Library", least=10, holds=True),
        SmsPart("address", "1811 Brownsville Rd", before=", ", end=".", least=8),
        SmsPart("languages", "Interpretation: Spanish, Arabic", end=".", whole=True),
        SmsPart("link", "https://bridge.example/e/1/", before="\n"),
    ]


ORDER = ("title", "languages", "address", "venue")


def test_sms_compose_message_that_fits_is_unchanged():
    assert sms_compose(parts("Forum"), max_segments=1, shorten=ORDER) == (
        "CANCELLED: Forum. Tue, Dec 8, 6:00 - 8:00 PM EST. Carrick Library, 1811 Brownsville Rd. "
        "Interpretation: Spanish, Arabic.\nhttps://bridge.example/e/1/"
    )


def test_sms_compose_shortens_the_title_first_and_never_the_time():
    text = sms_compose(parts("Know your rights " * 10), max_segments=1, shorten=ORDER)
    assert text == (
        "CANCELLED: Know your right... Tue, Dec 8, 6:00 - 8:00 PM EST. Carrick Library, "
        "1811 Brownsville Rd. Interpretation: Spanish, Arabic.\nhttps://bridge.example/e/1/"
    )
    assert sms_length(text).segments == 1


def test_sms_compose_drops_a_list_whole_then_shortens_the_address_before_the_venue():
    when = "Tuesday, December 8, 2026, 6:00 - 8:00 PM Eastern Standard Time (7 PM)"
    text = sms_compose(parts("Know your rights " * 10, when), max_segments=1, shorten=ORDER)
    assert text == (
        f"CANCELLED: Know your... {when}. Carrick Library, 1811 Brownsville...\nhttps://bridge.example/e/1/"
    )
    assert sms_length(text).segments == 1


def test_sms_compose_drops_the_title_before_the_place_when_even_its_least_is_too_much():
    when = (
        "Tuesday, December 8, 2026, 6:00 - 8:00 PM Eastern Standard Time; doors open at 5:30 PM; come early"
    )
    text = sms_compose(parts("Know your rights " * 10, when), max_segments=1, shorten=ORDER)
    # Without the title there is room for the whole venue again; the address goes.
    assert text == f"CANCELLED: {when}. Carrick Library\nhttps://bridge.example/e/1/"
    longer = when + ", please"
    text = sms_compose(parts("Know your rights " * 10, longer), max_segments=1, shorten=ORDER)
    assert text == f"CANCELLED: {longer}. Carrick Li...\nhttps://bridge.example/e/1/"


def test_sms_compose_returns_the_parts_never_cut_when_they_alone_are_too_long():
    when = "Tuesday, December 8, 2026, 6:00 - 8:00 PM Eastern Standard Time" * 3
    text = sms_compose(parts("Know your rights", when), max_segments=1, shorten=ORDER)
    assert text == f"CANCELLED: {when}.\nhttps://bridge.example/e/1/"


def test_sms_compose_counts_the_whole_message_as_ucs2_for_one_arabic_word():
    pieces = parts("Know your rights " * 10)
    pieces[0] = SmsPart("kind", "أُلغي:")
    text = sms_compose(pieces, max_segments=2, shorten=ORDER)
    length = sms_length(text)
    assert (length.encoding, length.segments) == ("UCS-2", 2)
    assert ELLIPSIS_UCS2 in text and ELLIPSIS_GSM not in text
    assert "Tue, Dec 8, 6:00 - 8:00 PM EST." in text


def test_sms_compose_never_cuts_between_a_letter_and_its_vowel_sign():
    title = "सामुदायिकसुरक्षाबैठकमाउपस्थितहुनुहोस्" * 8  # Nepali: vowel signs follow their letters
    for extra in range(40):  # the cut falls at 40 different places
        when = "Tue, Dec 8, 6:00 - 8:00 PM EST" + "!" * extra
        text = sms_compose(parts(title, when), max_segments=3, shorten=ORDER)
        kept = text.removeprefix("CANCELLED: ").split(ELLIPSIS_UCS2, 1)[0]
        assert title.startswith(kept) and len(kept) >= 10
        assert not unicodedata.category(title[len(kept)]).startswith("M"), extra
        assert sms_length(text).segments <= 3 and when in text
