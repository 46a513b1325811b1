"""Reads of the outbox for other apps' pages."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from .models import Message


@dataclass(frozen=True)
class Delivery:
    """Where one outbox message is, without the address unless the reader may see it."""

    key: str
    channel: str
    channel_display: str
    status: str
    status_display: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    attempts: int
    reason: str  # why it failed, the address blanked out when it is hidden
    address: str  # '' when hidden


def deliveries(*, key_prefix: str, with_address: bool = False) -> list[Delivery]:
    """The messages whose key starts with `key_prefix` (e.g. "concern:12:"), oldest first,
    in one query. Without `with_address` the address is left out, and blanked out of any
    failure reason that quotes it."""
    fields = ["key", "channel", "status", "created_at", "sent_at", "attempts", "last_error", "address"]
    rows = Message.objects.filter(Q(key__startswith=key_prefix)).order_by("created_at", "id").values(*fields)
    statuses = dict(Message.Status.choices)
    channels = dict(Message.Channel.choices)
    result = []
    for row in rows:
        address = row["address"] or ""
        reason = row["last_error"] or ""
        if not with_address and address:
            # A mail server's refusal often quotes the address: blank it out for who may not see it.
            reason = reason.replace(address, "…")
        result.append(
            Delivery(
                key=row["key"],
                channel=row["channel"],
                channel_display=str(channels.get(row["channel"], row["channel"])),
                status=row["status"],
                status_display=str(statuses.get(row["status"], row["status"])),
                created_at=row["created_at"],
                sent_at=row["sent_at"],
                attempts=row["attempts"],
                reason=reason,
                address=address if with_address else "",
            )
        )
    return result
