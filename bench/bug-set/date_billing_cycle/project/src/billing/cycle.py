"""Billing cycles anchored on the subscription's start date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterator

from billing.months import add_months, months_between


@dataclass(frozen=True)
class Period:
    """A billing period ``[start, end)``: ``end`` is the next bill date."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"empty period {self.start} .. {self.end}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.start <= d < self.end


class BillingCycle:
    """Recurring bill dates every ``interval`` months from ``anchor``.

    Every bill date is computed from the anchor, never from the previous bill
    date, so a subscription started on the 31st bills on the last day of
    shorter months and goes back to the 31st as soon as a month has one
    (31 Jan, 29 Feb, 31 Mar, 30 Apr, ...).
    """

    def __init__(self, anchor: date, interval: int = 1) -> None:
        if interval < 1:
            raise ValueError("interval must be at least one month")
        self.anchor = anchor
        self.interval = interval

    def __repr__(self) -> str:
        return f"BillingCycle(anchor={self.anchor!r}, interval={self.interval})"

    def bill_date(self, n: int) -> date:
        """The ``n``-th bill date; ``bill_date(0)`` is the anchor."""
        if n < 0:
            raise ValueError("bill dates before the anchor do not exist")
        return add_months(self.anchor, n * self.interval)

    def period(self, n: int) -> Period:
        """The ``n``-th billing period."""
        return Period(self.bill_date(n), self.bill_date(n + 1))

    def index_of(self, d: date) -> int:
        """Index of the period containing ``d``."""
        if d < self.anchor:
            raise ValueError(f"{d} is before the first bill date {self.anchor}")
        n = months_between(self.anchor, d) // self.interval
        # months_between is exact for the anchor's own day; correct for clamping.
        while self.bill_date(n + 1) <= d:
            n += 1
        while n > 0 and self.bill_date(n) > d:
            n -= 1
        return n

    def period_containing(self, d: date) -> Period:
        return self.period(self.index_of(d))

    def next_bill_date(self, d: date) -> date:
        """First bill date strictly after ``d``."""
        if d < self.anchor:
            return self.anchor
        return self.bill_date(self.index_of(d) + 1)

    def bill_dates(self, start: date, end: date) -> Iterator[date]:
        """Bill dates ``b`` with ``start <= b <= end``, in order."""
        n = 0 if start <= self.anchor else self.index_of(start)
        while True:
            b = self.bill_date(n)
            if b > end:
                return
            if b >= start:
                yield b
            n += 1

    def periods(self, start: date, end: date) -> list[Period]:
        """Periods overlapping ``[start, end)``."""
        if end <= start:
            return []
        first = 0 if start <= self.anchor else self.index_of(start)
        result = []
        n = first
        while True:
            p = self.period(n)
            if p.start >= end:
                break
            result.append(p)
            n += 1
        return result
