"""Public holiday rules and the calendar that evaluates them per year.

Two kinds of rule cover most public holidays:

* :class:`FixedHoliday`: same month and day every year (1 January).  When it
  falls on a weekend the day off is *observed* on a weekday: Saturday holidays
  move to the Friday before, Sunday holidays to the Monday after.
* :class:`NthWeekdayHoliday`: the n-th (or last) given weekday of a month
  (fourth Thursday of November, last Monday of May).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)


def observed(d: date) -> date:
    """The weekday on which a holiday falling on ``d`` is taken off."""
    if d.weekday() == SATURDAY:
        return d - timedelta(days=1)
    if d.weekday() == SUNDAY:
        return d + timedelta(days=1)
    return d


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` of the month; ``n = -1`` is the last one."""
    if n == 0 or not -5 <= n <= 5:
        raise ValueError(f"n must be 1..5 or -1..-5, got {n}")
    if n > 0:
        first = date(year, month, 1)
        d = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    else:
        next_month = date(year + month // 12, month % 12 + 1, 1)
        last = next_month - timedelta(days=1)
        d = last - timedelta(days=(last.weekday() - weekday) % 7 + 7 * (-n - 1))
    if d.month != month:
        raise ValueError(f"{year}-{month:02d} has no weekday {weekday} number {n}")
    return d


@dataclass(frozen=True)
class FixedHoliday:
    name: str
    month: int
    day: int
    observe: bool = True

    def date_in(self, year: int) -> date:
        actual = date(year, self.month, self.day)
        return observed(actual) if self.observe else actual


@dataclass(frozen=True)
class NthWeekdayHoliday:
    name: str
    month: int
    weekday: int
    n: int

    def date_in(self, year: int) -> date:
        return nth_weekday(year, self.month, self.weekday, self.n)


class HolidayCalendar:
    """A set of holiday rules, evaluated lazily and cached per year."""

    def __init__(self, rules: list[FixedHoliday | NthWeekdayHoliday]) -> None:
        self.rules = list(rules)
        self._years: dict[int, dict[date, str]] = {}

    def holidays_in(self, year: int) -> dict[date, str]:
        """Observed holidays falling in ``year``, by date.

        Rules are evaluated for the neighbouring years too: 1 January on a
        Saturday is observed on 31 December of the year before.
        """
        if year not in self._years:
            found: dict[date, str] = {}
            for rule_year in (year - 1, year, year + 1):
                for rule in self.rules:
                    d = rule.date_in(rule_year)
                    if d.year == year:
                        found.setdefault(d, rule.name)
            self._years[year] = dict(sorted(found.items()))
        return self._years[year]

    def is_holiday(self, d: date) -> bool:
        return d in self.holidays_in(d.year)

    def name_of(self, d: date) -> str | None:
        return self.holidays_in(d.year).get(d)


def standard_rules() -> list[FixedHoliday | NthWeekdayHoliday]:
    """The holidays the office observes."""
    return [
        FixedHoliday("New Year's Day", 1, 1),
        NthWeekdayHoliday("Civil Rights Day", 1, MONDAY, 3),
        NthWeekdayHoliday("Memorial Day", 5, MONDAY, -1),
        FixedHoliday("Independence Day", 7, 4),
        NthWeekdayHoliday("Labor Day", 9, MONDAY, 1),
        NthWeekdayHoliday("Thanksgiving", 11, THURSDAY, 4),
        FixedHoliday("Christmas Day", 12, 25),
    ]


def standard_calendar() -> HolidayCalendar:
    return HolidayCalendar(standard_rules())
