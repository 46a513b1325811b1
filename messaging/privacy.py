"""How staff pages show a community member's address when they need to know that one exists
and which it roughly is, not what it is."""


def address_masked(address: str) -> str:
    """'layla@example.org' -> 'l•••@example.org'; '+14125550100' -> '+1•••••••0100'."""
    address = address or ""
    if "@" in address:
        local, _at, domain = address.rpartition("@")
        return f"{local[:1]}•••@{domain}"
    if len(address) > 6:
        return f"{address[:2]}{'•' * (len(address) - 6)}{address[-4:]}"
    return "•" * len(address)
