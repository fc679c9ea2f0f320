"""An agenda of named recurring events with cancelled dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from recur.expand import between, first_after, matches
from recur.rules import Rule, parse_rrule


@dataclass
class Event:
    name: str
    start: date
    rule: Rule | None = None
    cancelled: set[date] = field(default_factory=set)

    @classmethod
    def from_text(cls, name: str, start: date, rrule: str | None = None) -> "Event":
        return cls(name, start, parse_rrule(rrule) if rrule else None)

    def occurs_on(self, d: date) -> bool:
        if d in self.cancelled:
            return False
        if self.rule is None:
            return d == self.start
        if self.rule.count is not None:
            return d in self.dates_between(d, d)
        return matches(self.rule, self.start, d)

    def dates_between(self, lo: date, hi: date) -> list[date]:
        """Occurrences in ``[lo, hi]`` minus the cancelled ones."""
        if self.rule is None:
            dates = [self.start] if lo <= self.start <= hi else []
        else:
            dates = between(self.rule, self.start, lo, hi)
        return [d for d in dates if d not in self.cancelled]

    def next_after(self, after: date) -> date | None:
        if self.rule is None:
            return self.start if self.start > after and self.start not in self.cancelled else None
        d = first_after(self.rule, self.start, after)
        while d is not None and d in self.cancelled:
            d = first_after(self.rule, self.start, d)
        return d

    def cancel(self, d: date) -> None:
        if not self.occurs_on(d):
            raise ValueError(f"{self.name} does not occur on {d}")
        self.cancelled.add(d)


class Agenda:
    def __init__(self) -> None:
        self._events: dict[str, Event] = {}

    def add(self, event: Event) -> None:
        if event.name in self._events:
            raise ValueError(f"duplicate event {event.name!r}")
        self._events[event.name] = event

    def __getitem__(self, name: str) -> Event:
        return self._events[name]

    def on(self, d: date) -> list[str]:
        """Names of the events on ``d``, alphabetically."""
        return sorted(name for name, event in self._events.items() if event.occurs_on(d))

    def between(self, lo: date, hi: date) -> list[tuple[date, str]]:
        """``(date, name)`` for every occurrence in ``[lo, hi]``, in date then name order."""
        items = [(d, e.name) for e in self._events.values() for d in e.dates_between(lo, hi)]
        return sorted(items)

    def busiest_days(self, lo: date, hi: date, minimum: int = 2) -> dict[date, list[str]]:
        """Days in ``[lo, hi]`` with at least ``minimum`` events."""
        by_day: dict[date, list[str]] = {}
        for d, name in self.between(lo, hi):
            by_day.setdefault(d, []).append(name)
        return {d: names for d, names in by_day.items() if len(names) >= minimum}

    def next_event(self, after: date) -> tuple[date, str] | None:
        """The earliest occurrence strictly after ``after`` over all events."""
        best = None
        for event in self._events.values():
            d = event.next_after(after)
            if d is not None and (best is None or (d, event.name) < best):
                best = (d, event.name)
        return best
