"""Quarters in the deployment's time zone, optionally of a fiscal year that starts in another
month (the agency's first month of the reporting year, else settings.BRIDGE_FISCAL_YEAR_START_MONTH:
1 = calendar year, 7 = July, 10 = October).

A fiscal year is named by the calendar year in which it ends (the US federal convention):
with October as the first month, 1 October 2025 is in FY2026 Q1.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies import conf, context


def _start_month() -> int:
    # The agency's own reporting year; outside any agency (a shell, a unit test without a
    # database) the deployment's.
    if context.current_id() is None:
        return int(getattr(settings, "BRIDGE_FISCAL_YEAR_START_MONTH", 1))
    return conf.quarter_start_month()


@dataclass(frozen=True, order=True)
class Quarter:
    year: int  # the fiscal year (= calendar year when the year starts in January)
    number: int  # 1..4

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        start = _start_month()
        months_in = (day.month - start) % 12
        year = day.year if start == 1 or day.month < start else day.year + 1
        return cls(year, months_in // 3 + 1)

    @classmethod
    def current(cls) -> Quarter:
        return cls.containing(timezone.localdate())

    @classmethod
    def parse(cls, text: str | None) -> Quarter | None:
        """'2025-Q2' -> Quarter(2025, 2); anything else -> None."""
        m = re.fullmatch(r"(\d{4})-Q([1-4])", (text or "").strip().upper())
        # Years the calendar can count a trend back from and a quarter on to: 0001-Q1 or
        # 9999-Q4 would step outside Python's dates.
        if not m or not 1900 <= int(m.group(1)) <= 9000:
            return None
        return cls(int(m.group(1)), int(m.group(2)))

    @property
    def start(self) -> dt.date:
        start = _start_month()
        first_year = self.year if start == 1 else self.year - 1
        month0 = (start - 1) + (self.number - 1) * 3
        return dt.date(first_year + month0 // 12, month0 % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the quarter (inclusive)."""
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def last(self, n: int) -> list[Quarter]:
        """The n quarters ending with this one, oldest first."""
        out = [self]
        for _i in range(n - 1):
            out.append(out[-1].previous())
        return out[::-1]

    @property
    def key(self) -> str:
        return f"{self.year}-Q{self.number}"

    def __str__(self) -> str:
        if _start_month() == 1:
            return _("Q%(number)s %(year)s") % {"number": self.number, "year": self.year}
        return _("FY%(year)s Q%(number)s") % {"number": self.number, "year": self.year}
