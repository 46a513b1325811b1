"""Tracking codes: short enough to read over the phone, impossible to guess.

Ten symbols from Crockford's base32 alphabet (no I, L, O or U, so nothing looks like
something else) give 50 bits from `secrets`: not sequential, and at a million guesses an
hour it would take longer than a lifetime to find one concern. Shown grouped as
`K7QM-4XPT-9H`; looked up case-insensitively, ignoring hyphens and spaces, and reading
O as 0 and I or L as 1 the way Crockford intended, because people copy codes by hand.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
BITS = 50  # LENGTH * log2(len(ALPHABET))
GROUPS = (4, 4, 2)
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_VALID = re.compile(rf"[{ALPHABET}]{{{LENGTH}}}")
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.]+")


def new_code() -> str:
    """A fresh code in its stored form (ten symbols, no hyphens)."""
    return "".join(secrets.choice(ALPHABET) for _i in range(LENGTH))


def normalise(text: str | None) -> str | None:
    """The stored form of a typed code, or None when it cannot be a code."""
    if not text or len(text) > 40:
        return None
    cleaned = _SEPARATORS.sub("", text).upper().translate(_LOOKALIKES)
    return cleaned if _VALID.fullmatch(cleaned) else None


def display(code: str) -> str:
    """'K7QM4XPT9H' -> 'K7QM-4XPT-9H'."""
    parts, start = [], 0
    for size in GROUPS:
        parts.append(code[start : start + size])
        start += size
    return "-".join(p for p in parts if p)
