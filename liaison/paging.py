"""Seek (keyset) pages for long lists ordered newest first, such as the contact list.

An OFFSET page costs as much as every row before it: the last of 40,000 pages of a million
contacts read them all. A seek page starts from the last row the reader saw instead (its date
and id, in the link), and reads one page's rows off the index in the same order (-date, -id),
whatever its depth. The count is exact up to COUNT_CAP and said as "more than" past it, so no
page view counts a million rows either.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

COUNT_CAP = 10_000
_CURSOR = re.compile(r"(\d{4}-\d{2}-\d{2})\.(\d{1,18})")


def _parse(cursor: str | None) -> tuple[dt.date, int] | None:
    match = _CURSOR.fullmatch(cursor or "")
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match[1]), int(match[2])
    except ValueError:
        return None


def _cursor(row) -> str:
    return f"{row.date.isoformat()}.{row.pk}"


@dataclass
class SeekPage:
    object_list: list = field(default_factory=list)
    older: str | None = None  # cursor for the next page (older rows), if there is one
    newer: str | None = None  # cursor for the previous page (newer rows), if there is one
    count: int | None = None  # every matching row, exact; None when more than COUNT_CAP
    count_cap: int = COUNT_CAP

    @property
    def has_other_pages(self) -> bool:
        return bool(self.older or self.newer)


def seek_page(qs: QuerySet, *, older: str | None, newer: str | None, size: int) -> SeekPage:
    """One page of `qs` (ordered -date, -id): after the `older` cursor, or before `newer`, or
    the newest page. A cursor that is not one (typed by hand, cut short) reads as no cursor."""
    after, before = _parse(older), _parse(newer)
    if before and not after:
        d, pk = before
        newer_rows = Q(date__gte=d) & (Q(date__gt=d) | Q(pk__gt=pk))  # date >= d: the index's range
        rows = list(qs.filter(newer_rows).order_by("date", "id")[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        page = SeekPage(rows, newer=_cursor(rows[0]) if more_newer and rows else None)
        page.older = _cursor(rows[-1]) if rows else None  # the page we came from is older
    else:
        base = qs
        if after:
            d, pk = after
            # (date, id) < (d, pk), with date <= d spelled out so the index scan starts at d.
            base = qs.filter(Q(date__lte=d) & (Q(date__lt=d) | Q(pk__lt=pk)))
        rows = list(base.order_by("-date", "-id")[: size + 1])
        more_older = len(rows) > size
        rows = rows[:size]
        page = SeekPage(rows, older=_cursor(rows[-1]) if more_older else None)
        page.newer = _cursor(rows[0]) if after and rows else None
    counted = qs.order_by().values("pk")[: COUNT_CAP + 1].count()
    page.count = counted if counted <= COUNT_CAP else None
    page.count_cap = COUNT_CAP
    return page
