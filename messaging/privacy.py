"""How staff pages show a community member's address when they need to know that one exists
and which it roughly is, not what it is."""

import re


def address_masked(address: str) -> str:
    """'layla@example.org' -> 'l•••@example.org'; '+14125550100' -> '+1•••••••0100'."""
    address = address or ""
    if "@" in address:
        local, _at, domain = address.rpartition("@")
        return f"{local[:1]}•••@{domain}"
    if len(address) > 6:
        return f"{address[:2]}{'•' * (len(address) - 6)}{address[-4:]}"
    return "•" * len(address)


# An e-mail address inside free text (a mail server's "550 <layla@example.org> unknown"),
# and a phone number: 8 to 15 digits, with or without the leading +.
_EMAIL_IN_TEXT = re.compile(r"[^\s<>()\[\]\"',;:]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_PHONE_IN_TEXT = re.compile(r"(?<![\w+])\+?\d{8,15}(?!\w)")


def text_addresses_masked(text: str, *, address: str = "") -> str:
    """Free text (a failure reason) with every address in it masked as address_masked does:
    `address` (the row's own, in whatever form it was quoted), then anything that looks like
    an e-mail address or a phone number. Masking too much is the safe side."""
    text = text or ""
    if address and address in text:
        text = text.replace(address, address_masked(address))
    text = _EMAIL_IN_TEXT.sub(lambda m: address_masked(m.group(0)), text)
    return _PHONE_IN_TEXT.sub(lambda m: address_masked(m.group(0)), text)
