"""SMS length in segments, the unit carriers bill and split by.

A message written only with the GSM 03.38 alphabet (Latin letters, digits, common
punctuation, a few accented letters) is sent 7 bits a character: 160 characters fit one
segment, 153 each once it is split. Any other character (Arabic, Devanagari for Nepali,
Chinese, most emoji, even a curly quote) switches the whole message to UCS-2: 70 in one
segment, 67 each once split, counted in UTF-16 code units.
"""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Sent as an escape plus a character: two septets each.
GSM7_EXTENDED = set("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67
ELLIPSIS_GSM = "..."
ELLIPSIS_UCS2 = "…"


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int

    @property
    def per_segment(self) -> int:
        if self.encoding == "GSM-7":
            return GSM7_SINGLE if self.segments <= 1 else GSM7_MULTI
        return UCS2_SINGLE if self.segments <= 1 else UCS2_MULTI


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def _units(text: str, gsm: bool) -> int:
    if gsm:
        return sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
    return len(text.encode("utf-16-le")) // 2


def sms_length(text: str) -> SmsLength:
    gsm = is_gsm7(text)
    units = _units(text, gsm)
    single, multi = (GSM7_SINGLE, GSM7_MULTI) if gsm else (UCS2_SINGLE, UCS2_MULTI)
    if units == 0:
        segments = 0
    elif units <= single:
        segments = 1
    else:
        segments = -(-units // multi)
    return SmsLength("GSM-7" if gsm else "UCS-2", units, segments)


def sms_capacity(*, gsm: bool, segments: int) -> int:
    """How many units fit in that many segments."""
    if segments <= 1:
        return GSM7_SINGLE if gsm else UCS2_SINGLE
    return segments * (GSM7_MULTI if gsm else UCS2_MULTI)


def sms_fit(text: str, *, max_segments: int, keep: str = "") -> str:
    """`text` shortened (with an ellipsis) so that text + keep fits in max_segments.

    `keep` (an unsubscribe link, a tracking code) is never cut. The encoding is decided by
    the whole message, so a single Arabic word anywhere makes every part count as UCS-2.
    """
    whole = text + keep
    if sms_length(whole).segments <= max_segments:
        return whole
    gsm = is_gsm7(whole)
    ellipsis = ELLIPSIS_GSM if gsm else ELLIPSIS_UCS2
    budget = sms_capacity(gsm=gsm, segments=max_segments) - _units(keep, gsm) - _units(ellipsis, gsm)
    out, used = [], 0
    for ch in text:
        cost = _units(ch, gsm)
        if used + cost > budget:
            break
        out.append(ch)
        used += cost
    return "".join(out).rstrip() + ellipsis + keep


@dataclass(frozen=True)
class SmsPart:
    """One named piece of a message for sms_compose.

    `end` closes the whole text ("."); a shortened text ends with the ellipsis instead.
    `before` joins the part to the one written before it; an empty or dropped part writes
    neither. A shortened text keeps at least `least` characters: rather than fewer, it goes,
    unless it `holds` (a title), in which case it stays at `least` while the parts after it
    give way, and goes only when they cannot make room. A `whole` part (a list of names) is
    never cut inside: it stays whole or goes.
    """

    name: str
    text: str
    end: str = ""
    before: str = " "
    least: int = 0
    holds: bool = False
    whole: bool = False


def _join(parts: Sequence[SmsPart], texts: dict[str, str], cut: set[str]) -> str:
    out: list[str] = []
    for part in parts:
        text = texts[part.name]
        if not text:
            continue
        if out:
            out.append(part.before)
        out.append(text if part.name in cut else text + part.end)
    return "".join(out)


def _is_mark(ch: str) -> bool:
    # A vowel sign, a diacritic or a joiner belongs to the letter before it: never cut there.
    return unicodedata.category(ch).startswith("M") or ch in "\u200c\u200d"


_CUT_TRAILING = " ,;:-\u060c\u3001\uff0c"  # Latin, Arabic and Chinese commas


def _shortened(text: str, *, room: int, least: int, gsm: bool, ellipsis: str) -> str:
    """`text` cut to fit `room` units with the ellipsis, or to `least` characters if that is
    more; at a word boundary when one is near, never between a letter and its marks."""
    budget = room - _units(ellipsis, gsm)
    end, used = 0, 0
    for ch in text:
        cost = _units(ch, gsm)
        if used + cost > budget:
            break
        used += cost
        end += 1
    end = max(end, min(least, len(text)))
    while 0 < end < len(text) and _is_mark(text[end]):
        end -= 1
    space = text.rfind(" ", 0, end + 1)
    if end < len(text) and space >= max(least, end * 3 // 4):
        end = space
    kept = text[:end].rstrip(_CUT_TRAILING)
    return kept + ellipsis if kept else ""


def sms_compose(parts: Sequence[SmsPart], *, max_segments: int, shorten: Sequence[str]) -> str:
    """The parts joined, fitted to max_segments.

    Parts not named in `shorten` are never cut (the time, a link, a tracking code). The
    named ones give way in that order: each is shortened with the alphabet's ellipsis as far
    as needed and as its `least` allows (a `whole` part is dropped). If the message is still
    too long, the first of them is dropped and the others shortened again in the room that
    frees, then the second as well, and so on. A message that fits is returned unchanged.

    The encoding is decided by the whole message: one Arabic word, or a letter GSM-7 lacks,
    makes every part count as UCS-2. If the parts that are never cut do not fit on their
    own, they are returned alone, over the limit, for the outbox's last guard.
    """
    names = [p.name for p in parts]
    if len(set(names)) != len(names) or not set(shorten) <= set(names):
        raise ValueError(f"parts {names} must have unique names, including each of {list(shorten)}")
    by_name = {p.name: p for p in parts}
    whole = {p.name: p.text.strip() for p in parts}
    gsm = is_gsm7(_join(parts, whole, set()))
    ellipsis = ELLIPSIS_GSM if gsm else ELLIPSIS_UCS2
    capacity = sms_capacity(gsm=gsm, segments=max_segments)
    for dropped in range(len(shorten) + 1):
        texts = {**whole, **dict.fromkeys(shorten[:dropped], "")}
        cut: set[str] = set()
        for name in shorten[dropped:]:
            excess = _units(_join(parts, texts, cut), gsm) - capacity
            if excess <= 0:
                break
            part, text = by_name[name], texts[name]
            if not text:
                continue
            if part.whole:
                texts[name] = ""
                continue
            piece = _units(text + part.end, gsm)
            short = _shortened(text, room=piece - excess, least=part.least, gsm=gsm, ellipsis=ellipsis)
            fits = _units(short, gsm) <= piece - excess
            if not fits and not part.holds:
                texts[name] = ""  # rather than fewer than `least` characters, it goes
            elif _units(short, gsm) < piece:
                texts[name] = short
                cut.add(name)
        message = _join(parts, texts, cut)
        if _units(message, gsm) <= capacity:
            return message
    return message


# Typographic punctuation that would switch a whole Latin-script message to UCS-2 (and halve
# what fits in a segment) for no reader's benefit.
_PLAIN = str.maketrans(
    {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "\u00a0": " ", "·": "-"}
)


def sms_plain(text: str) -> str:
    return text.translate(_PLAIN)
