"""Text messages sent back to Bridge's number: STOP, START and HELP, through Twilio's webhook.

Twilio posts each incoming SMS to /sms/inbound/ (outside the language prefix: Twilio keeps
one address), signed with the account's auth token. A message that is one keyword alone, in
any declared language, is acted on and answered in TwiML, in the sender's language; any
other message is left unanswered (a person may be writing to a liaison, and an answer to
every text would start a loop with another machine's auto-reply).

- STOP: no SMS of any kind goes to the number any more (messaging's opt-out) and its
  subscription is paused;
- START: SMS may go to it again and the subscription resumes as it was;
- HELP: who sends these messages, how to stop them, and the emergency number.

Nothing personal is logged: never the number, never the text.
"""

import hashlib
import logging
import unicodedata

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseForbidden
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from agencies import conf
from agencies import conf as agency_conf
from languages import registry
from messaging.rendering import recipient_language
from messaging.segments import SmsPart, sms_compose, sms_plain
from messaging.services import sms_max_segments

from . import selectors, services
from .models import Subscriber

logger = logging.getLogger(__name__)

STOP, START, HELP = "stop", "start", "help"

# The words that mean STOP, START and HELP, per declared language, when one of them is the
# whole message. Compared without case, accents, spaces or surrounding punctuation (see
# normalise), so "Arrêt !", "ARRET" and "arret" are one word, and "STOP ALL" is STOPALL.
# English first: its words work from every phone, and a word two languages share answers in
# the one listed first. Machine-assisted outside English: to be reviewed by native speakers,
# as the catalogues are. A word must mean one action only (tests/outreach/test_sms_replies.py).
KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        # The carriers' standard words (CTIA), as Twilio recognises them.
        STOP: ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"),
        START: ("START", "UNSTOP", "YES", "SUBSCRIBE"),
        HELP: ("HELP", "INFO"),
    },
    "es": {
        STOP: ("ALTO", "PARAR", "BAJA", "CANCELAR", "DETENER"),
        START: ("ALTA", "INICIO", "COMENZAR"),
        HELP: ("AYUDA",),
    },
    "ar": {
        STOP: ("توقف", "إيقاف", "إلغاء"),
        START: ("ابدأ", "اشتراك"),
        HELP: ("مساعدة",),
    },
    "ne": {
        STOP: ("रोक्नुहोस्", "रोक"),
        START: ("सुरु",),
        HELP: ("मद्दत",),
    },
    "fr": {
        STOP: ("ARRÊT", "ARRÊTE", "ARRÊTER"),
        START: ("DÉBUT", "COMMENCER"),
        HELP: ("AIDE",),
    },
    "sw": {
        STOP: ("SIMAMA", "ACHA"),
        START: ("ANZA",),
        HELP: ("MSAADA",),
    },
    "so": {
        STOP: ("JOOJI",),
        START: ("BILOW",),
        HELP: ("CAAWIMO",),
    },
    "vi": {
        STOP: ("DỪNG", "DỪNG LẠI"),
        START: ("BẮT ĐẦU",),
        HELP: ("GIÚP ĐỠ", "TRỢ GIÚP"),
    },
    "zh-hans": {
        STOP: ("退订", "停止", "取消"),
        START: ("订阅", "开始"),
        HELP: ("帮助",),
    },
    "pt-br": {
        STOP: ("PARAR", "SAIR", "CANCELAR"),
        START: ("INICIAR", "VOLTAR"),
        HELP: ("AJUDA",),
    },
    "ht": {
        STOP: ("SISPANN", "KANPE"),
        START: ("KÒMANSE",),
        HELP: ("ÈD", "EDE"),
    },
    "ur": {
        STOP: ("بند", "روکیں"),
        START: ("شروع",),
        HELP: ("مدد",),
    },
    "fa": {
        STOP: ("لغو", "توقف"),
        START: ("شروع",),
        HELP: ("کمک", "راهنما"),
    },
    "bn": {
        STOP: ("বন্ধ",),
        START: ("শুরু",),
        HELP: ("সাহায্য",),
    },
    "my": {
        STOP: ("ရပ်",),
        START: ("စတင်",),
        HELP: ("အကူအညီ",),
    },
    "sq": {
        STOP: ("NDALO",),
        START: ("FILLO",),
        HELP: ("NDIHMË",),
    },
}
# What Twilio's Advanced Opt-Out says it recognised (the OptOutType parameter), for words a
# unit configured there and the list above lacks.
OPT_OUT_TYPES = {"STOP": STOP, "START": START, "HELP": HELP}
# No keyword is longer; a longer message is a person writing, and is not normalised at all.
LONGEST = 40

# Accents on Latin letters and Arabic vowel marks are left out; letters people type either
# way are made one (Arabic and Persian yeh and kaf, alef with or without hamza, Vietnamese đ).
_MARKS = {*range(0x0300, 0x0370), *range(0x064B, 0x0660), 0x0670, 0x0640}
_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "đ": "d"})
# Trimmed from both ends: punctuation (also "।", "။", "。", "؟"), symbols, spaces, controls.
_EDGES = ("P", "S", "Z", "Cc", "Cf")


def normalise(text: str) -> str:
    """A message as keywords are compared: "  ¡Alto! " -> "alto", "DỪNG LẠI" -> "dunglai"."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if ord(ch) not in _MARKS and not ch.isspace()).translate(_LETTERS)
    start, end = 0, len(text)
    while start < end and unicodedata.category(text[start]).startswith(_EDGES):
        start += 1
    while end > start and unicodedata.category(text[end - 1]).startswith(_EDGES):
        end -= 1
    return unicodedata.normalize("NFC", text[start:end])


def _lookup() -> dict[str, tuple[str, str]]:
    """normalised word -> (action, language), the first language listing a word keeping it."""
    found: dict[str, tuple[str, str]] = {}
    order = ["en", *(code for code in registry.CODES if code != "en")]
    for code in order:
        for action, words in KEYWORDS.get(code, {}).items():
            for word in words:
                found.setdefault(normalise(word), (action, code))
    return found


LOOKUP = _lookup()


def keyword(body: str, opt_out_type: str = "") -> tuple[str, str | None] | None:
    """(action, the keyword's language) if the message is a keyword alone, else None. A word
    only Twilio recognised (OptOutType) has no language of its own here."""
    if len(body.strip()) <= LONGEST:
        found = LOOKUP.get(normalise(body))
        if found:
            return found
    action = OPT_OUT_TYPES.get(opt_out_type.strip().upper())
    return (action, None) if action else None


def _text(text: str) -> str:
    return sms_plain(" ".join(str(text).split()))


def reply_text(action: str, *, subscriber: Subscriber | None) -> str:
    """The answer in the active language, fitted to the SMS limit: the unit's name gives way
    first, the instructions and the emergency number never do."""
    unit = str(conf.unit_name())
    if action == STOP:
        # Translators: STOP and START are words the person texts back. Keep them as they are
        # (they work in every language), or use your language's word from outreach/sms_replies.py.
        lead = gettext("You will get no more text messages from %(unit)s.") % {"unit": unit}
        # Translators: START is the word the person texts back to get messages again.
        rest = gettext("Reply START to come back.")
    elif action == START and subscriber is not None:
        lead = gettext("Welcome back: you will get meeting notices from %(unit)s again.") % {"unit": unit}
        # Translators: STOP is the word the person texts back to stop the messages.
        rest = gettext("Reply STOP to stop them.")
    elif action == START:
        lead = gettext("You can get text messages from %(unit)s again.") % {"unit": unit}
        rest = gettext("Reply STOP to stop them.")
    else:
        lead = gettext("%(unit)s: these are meeting notices.") % {"unit": unit}
        rest = gettext("Reply STOP to stop them.")
    parts = [SmsPart("lead", _text(lead), least=12, holds=True), SmsPart("rest", _text(rest))]
    if action == HELP:
        emergency = gettext("In an emergency, call %(number)s.") % {"number": settings.EMERGENCY_NUMBER}
        parts.append(SmsPart("emergency", _text(emergency)))
    return sms_compose(parts, max_segments=sms_max_segments(), shorten=("lead",))


def _signed_by_twilio(request) -> bool:
    """The X-Twilio-Signature, checked against the public address Twilio was given
    (SITE_URL), not the one this request reached: behind a proxy that is another host or
    scheme, and the signature would never match. No auth token: every request is refused."""
    token = settings.TWILIO_AUTH_TOKEN
    if not token:
        logger.warning("SMS reply refused: TWILIO_AUTH_TOKEN is not set, so no signature can be checked")
        return False
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        return False
    url = agency_conf.site_url() + request.get_full_path()
    return RequestValidator(token).validate(url, request.POST, signature)


def _sender_key(group: str, request) -> str:
    # A hash of the number, never the number, in the cache key.
    phone = request.POST.get("From", "")
    return hashlib.sha256(f"{settings.SECRET_KEY}:sms:{phone}".encode()).hexdigest()


def _too_many(request) -> bool:
    try:
        return is_ratelimited(
            request,
            group="outreach.sms-reply",
            key=_sender_key,
            rate=settings.OUTREACH_SMS_REPLY_RATE,
            method="POST",
            increment=True,
        )
    except Exception:  # the cache is down: answer nothing rather than risk a loop
        logger.warning("Rate-limit cache unavailable; SMS keyword left unanswered")
        return True


def _twiml(text: str = "") -> HttpResponse:
    response = MessagingResponse()
    if text:
        response.message(text)  # XML-escaped by the library
    return HttpResponse(str(response), content_type="text/xml; charset=utf-8")


@login_not_required
@csrf_exempt  # Twilio posts without a CSRF token: its signature is what authenticates it
@require_POST
def sms_inbound(request):
    if not _signed_by_twilio(request):
        logger.warning("SMS reply refused: missing or invalid Twilio signature")
        return HttpResponseForbidden()
    phone = request.POST.get("From", "").strip()
    found = keyword(request.POST.get("Body", ""), request.POST.get("OptOutType", ""))
    if not phone or found is None:
        logger.info("SMS reply that is no keyword: left for people, unanswered")
        return _twiml()
    action, keyword_language = found
    # Counted before acting, but STOP and START are done even beyond the limit (a person
    # asked for them): only the answer is held back.
    limited = _too_many(request)
    subscriber = None
    if action == STOP:
        subscriber = services.subscriber_sms_stop(phone=phone)
    elif action == START:
        subscriber = services.subscriber_sms_start(phone=phone)
    if limited:
        logger.info("SMS %s keyword over the reply limit: not answered", action)
        return _twiml()
    # The subscriber's own language; else the language of the word they used; else English.
    language = selectors.sms_subscriber_language(phone) or keyword_language or "en"
    with translation.override(recipient_language(language)):
        return _twiml(reply_text(action, subscriber=subscriber))
