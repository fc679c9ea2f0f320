"""ISO 8601 week dates: weeks run Monday to Sunday and week 1 is the week
that contains 4 January (equivalently, the first Thursday of the year).

A year therefore has 52 or 53 weeks, and the first days of January can belong
to the last week of the previous ISO year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import total_ordering

_WEEK_TEXT = re.compile(r"^(\d{4})-?W(\d{2})$")


def week_one_monday(year: int) -> date:
    """Monday of ISO week 1 of ``year``."""
    anchor = date(year, 1, 4)
    return anchor - timedelta(days=anchor.weekday())


def weeks_in_year(year: int) -> int:
    """52 or 53."""
    return (week_one_monday(year + 1) - week_one_monday(year)).days // 7


@total_ordering
@dataclass(frozen=True)
class IsoWeek:
    year: int
    week: int

    def __post_init__(self) -> None:
        if not 1 <= self.week <= weeks_in_year(self.year):
            raise ValueError(f"{self.year} has no ISO week {self.week}")

    def __lt__(self, other: "IsoWeek") -> bool:
        return (self.year, self.week) < (other.year, other.week)

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @classmethod
    def parse(cls, text: str) -> "IsoWeek":
        """Parse ``2024-W05`` or ``2024W05``."""
        m = _WEEK_TEXT.match(text.strip())
        if not m:
            raise ValueError(f"not an ISO week: {text!r}")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, d: date) -> "IsoWeek":
        """The ISO week containing ``d``."""
        year = d.year
        if d >= week_one_monday(year + 1):
            year += 1
        elif d < week_one_monday(year):
            year -= 1
        return cls(year, (d - week_one_monday(year)).days // 7 + 1)

    def monday(self) -> date:
        return week_one_monday(self.year) + timedelta(weeks=self.week - 1)

    def sunday(self) -> date:
        return self.monday() + timedelta(days=6)

    def days(self) -> list[date]:
        start = self.monday()
        return [start + timedelta(days=i) for i in range(7)]

    def __add__(self, weeks: int) -> "IsoWeek":
        if not isinstance(weeks, int):
            return NotImplemented
        return IsoWeek.of(self.monday() + timedelta(weeks=weeks))

    def __sub__(self, other: "IsoWeek") -> int:
        """Number of weeks from ``other`` to ``self``."""
        if not isinstance(other, IsoWeek):
            return NotImplemented
        return (self.monday() - other.monday()).days // 7


def week_range(first: IsoWeek, last: IsoWeek) -> list[IsoWeek]:
    """Every week from ``first`` to ``last`` inclusive."""
    if last < first:
        return []
    return [first + i for i in range(last - first + 1)]


def weekday_in_week(week: IsoWeek, weekday: int) -> date:
    """The date of ``weekday`` (1 = Monday ... 7 = Sunday) in ``week``."""
    if not 1 <= weekday <= 7:
        raise ValueError("weekday must be 1..7")
    return week.monday() + timedelta(days=weekday - 1)
