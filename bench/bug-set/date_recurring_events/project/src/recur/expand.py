"""Expanding a :class:`~recur.rules.Rule` into dates.

Occurrences are found by walking the calendar one day at a time from the
start date and testing each day with :func:`matches`.  That is slower than
jumping from occurrence to occurrence but keeps every frequency's rules in
one readable place, and events here span years, not centuries.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterator

from recur.rules import Freq, Rule

ONE_DAY = timedelta(days=1)
#: Give up looking for a next occurrence after this many days without one.
SEARCH_HORIZON = 366 * 30


def _days_in_month(d: date) -> int:
    first_next = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return (first_next - ONE_DAY).day


def _weekday_matches(rule: Rule, d: date) -> bool:
    for weekday, ordinal in rule.weekdays:
        if d.weekday() != weekday:
            continue
        if ordinal == 0:
            return True
        if ordinal > 0 and (d.day - 1) // 7 + 1 == ordinal:
            return True
        if ordinal < 0 and (_days_in_month(d) - d.day) // 7 + 1 == -ordinal:
            return True
    return False


def _month_day_matches(day: int, d: date) -> bool:
    if day > 0:
        return d.day == day
    return _days_in_month(d) + day + 1 == d.day


def _in_interval(rule: Rule, start: date, d: date) -> bool:
    """Whether ``d`` lies in a period (day, week, month, year) the rule uses."""
    if rule.freq is Freq.DAILY:
        return (d - start).days % rule.interval == 0
    if rule.freq is Freq.WEEKLY:
        # Weeks run Monday to Sunday and are counted from the start's week.
        week_start = start - timedelta(days=start.weekday())
        return (d - week_start).days // 7 % rule.interval == 0
    if rule.freq is Freq.MONTHLY:
        months = (d.year - start.year) * 12 + d.month - start.month
        return months % rule.interval == 0
    return (d.year - start.year) % rule.interval == 0


def matches(rule: Rule, start: date, d: date) -> bool:
    """Whether ``d`` is an occurrence of ``rule`` for an event starting on ``start``.

    ``COUNT`` is not checked here (it depends on the earlier occurrences);
    ``UNTIL`` is.
    """
    if d < start or (rule.until is not None and d > rule.until):
        return False
    if not _in_interval(rule, start, d):
        return False
    if rule.freq is Freq.DAILY:
        return not rule.weekdays or _weekday_matches(rule, d)
    if rule.freq is Freq.WEEKLY:
        if rule.weekdays:
            return _weekday_matches(rule, d)
        return d.weekday() == start.weekday()
    if rule.freq is Freq.MONTHLY:
        if rule.weekdays:
            return _weekday_matches(rule, d)
        # A month without the day (31 in April) is skipped, not clamped.
        return _month_day_matches(rule.month_day or start.day, d)
    if d.month != start.month:
        return False
    return _month_day_matches(rule.month_day or start.day, d)


def occurrences(rule: Rule, start: date) -> Iterator[date]:
    """All occurrences in order, starting with ``start`` when it matches."""
    emitted = 0
    d = start
    idle = 0
    while idle < SEARCH_HORIZON:
        if rule.until is not None and d > rule.until:
            return
        if matches(rule, start, d):
            yield d
            emitted += 1
            idle = 0
            if rule.count is not None and emitted >= rule.count:
                return
        else:
            idle += 1
        d += ONE_DAY


def between(rule: Rule, start: date, lo: date, hi: date) -> list[date]:
    """Occurrences ``d`` with ``lo <= d <= hi``."""
    result = []
    for d in occurrences(rule, start):
        if d > hi:
            break
        if d >= lo:
            result.append(d)
    return result


def first_after(rule: Rule, start: date, after: date) -> date | None:
    """First occurrence strictly after ``after``, or ``None`` once the rule ends."""
    for d in occurrences(rule, start):
        if d > after:
            return d
    return None
