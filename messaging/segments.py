"""SMS length in segments, the unit carriers bill and split by.

A message written only with the GSM 03.38 alphabet (Latin letters, digits, common
punctuation, a few accented letters) is sent 7 bits a character: 160 characters fit one
segment, 153 each once it is split. Any other character (Arabic, Devanagari for Nepali,
Chinese, most emoji, even a curly quote) switches the whole message to UCS-2: 70 in one
segment, 67 each once split, counted in UTF-16 code units.
"""

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


# Typographic punctuation that would switch a whole Latin-script message to UCS-2 (and halve
# what fits in a segment) for no reader's benefit.
_PLAIN = str.maketrans(
    {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "\u00a0": " ", "·": "-"}
)


def sms_plain(text: str) -> str:
    return text.translate(_PLAIN)
