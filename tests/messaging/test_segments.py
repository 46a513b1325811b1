"""SMS length as carriers count it: GSM-7 160/153, UCS-2 (Arabic, Nepali...) 70/67."""

import pytest

from messaging.segments import sms_fit, sms_length, sms_plain


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        ("€" * 80, "GSM-7", 1),  # the euro sign takes two septets
        ("€" * 81, "GSM-7", 2),
        ("م" * 70, "UCS-2", 1),
        ("م" * 71, "UCS-2", 2),
        ("म" * 134, "UCS-2", 2),  # Nepali, Devanagari
        ("म" * 135, "UCS-2", 3),
        ("Meeting – today", "UCS-2", 1),  # one en dash turns the whole message to UCS-2
        ("", "GSM-7", 0),
    ],
)
def test_segments_count_like_a_carrier(text, encoding, segments):
    length = sms_length(text)
    assert (length.encoding, length.segments) == (encoding, segments)


def test_segments_fit_cuts_the_text_never_the_link():
    link = "\nhttps://bridge.example/ar/unsubscribe/AbCdEfGhIjK/"
    fitted = sms_fit("اجتماع " * 100, max_segments=3, keep=link)
    assert fitted.endswith(link)
    assert sms_length(fitted).segments == 3
    assert "…" in fitted
    short = sms_fit("Hello", max_segments=1, keep=link)
    assert short == "Hello" + link


def test_segments_plain_punctuation_keeps_latin_text_in_gsm():
    assert sms_length(sms_plain("Tuesday, 18:00 – 20:00 “Library”")).encoding == "GSM-7"
