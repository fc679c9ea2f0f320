"""Timesheets: hours worked per day and project, summed by ISO week."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from isoweek import IsoWeek

MAX_HOURS_PER_DAY = Decimal("24")
STANDARD_WEEK = Decimal("40")


@dataclass(frozen=True)
class Entry:
    day: date
    project: str
    hours: Decimal

    def __post_init__(self) -> None:
        if self.hours <= 0:
            raise ValueError("hours must be positive")
        if not self.project:
            raise ValueError("an entry needs a project")


class Timesheet:
    def __init__(self, person: str) -> None:
        self.person = person
        self.entries: list[Entry] = []

    def log(self, day: date, project: str, hours: str | Decimal) -> Entry:
        """Record ``hours`` on ``project``; a day cannot exceed 24 hours."""
        entry = Entry(day, project, Decimal(hours))
        if self.hours_on(day) + entry.hours > MAX_HOURS_PER_DAY:
            raise ValueError(f"more than {MAX_HOURS_PER_DAY} hours on {day}")
        self.entries.append(entry)
        return entry

    def hours_on(self, day: date) -> Decimal:
        return sum((e.hours for e in self.entries if e.day == day), Decimal("0"))

    def by_week(self) -> dict[IsoWeek, Decimal]:
        """Total hours per ISO week, in week order."""
        totals: dict[IsoWeek, Decimal] = defaultdict(Decimal)
        for entry in self.entries:
            totals[IsoWeek.of(entry.day)] += entry.hours
        return dict(sorted(totals.items()))

    def by_week_and_project(self) -> dict[IsoWeek, dict[str, Decimal]]:
        result: dict[IsoWeek, dict[str, Decimal]] = {}
        for entry in sorted(self.entries, key=lambda e: (e.day, e.project)):
            week = result.setdefault(IsoWeek.of(entry.day), {})
            week[entry.project] = week.get(entry.project, Decimal("0")) + entry.hours
        return result

    def overtime(self, standard: Decimal = STANDARD_WEEK) -> dict[IsoWeek, Decimal]:
        """Hours above ``standard`` for each week that has any."""
        return {week: hours - standard for week, hours in self.by_week().items() if hours > standard}

    def week_total(self, week: IsoWeek) -> Decimal:
        return self.by_week().get(week, Decimal("0"))

    def weekend_hours(self) -> Decimal:
        return sum((e.hours for e in self.entries if e.day.weekday() >= 5), Decimal("0"))

    def span(self) -> tuple[IsoWeek, IsoWeek] | None:
        """First and last week with an entry."""
        if not self.entries:
            return None
        days = [e.day for e in self.entries]
        return IsoWeek.of(min(days)), IsoWeek.of(max(days))
