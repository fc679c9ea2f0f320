"""Calendar-month arithmetic on :class:`datetime.date`.

Nothing here looks at the clock: every function takes the dates it works on.
"""

from __future__ import annotations

from datetime import date

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_leap_year(year: int) -> bool:
    """Gregorian leap year rule."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    """Number of days in ``month`` of ``year``."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be in 1..12, got {month}")
    if month == 2 and is_leap_year(year):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def month_start(d: date) -> date:
    """First day of the month containing ``d``."""
    return d.replace(day=1)


def month_end(d: date) -> date:
    """Last day of the month containing ``d``."""
    return d.replace(day=days_in_month(d.year, d.month))


def _month_index(d: date) -> int:
    return d.year * 12 + (d.month - 1)


def add_months(d: date, months: int) -> date:
    """Shift ``d`` by ``months`` calendar months (negative goes back).

    When the target month is shorter than ``d.day`` the day is clamped to the
    target month's last day::

        >>> add_months(date(2024, 1, 31), 1)
        datetime.date(2024, 2, 29)
        >>> add_months(date(2024, 3, 31), -1)
        datetime.date(2024, 2, 29)
    """
    year, month0 = divmod(_month_index(d) + months, 12)
    month = month0 + 1
    if not 1 <= year <= 9999:
        raise OverflowError(f"{d} shifted by {months} months leaves the calendar")
    day = min(d.day, days_in_month(year, month))
    return date(year, month, day)


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end``.

    A month counts once ``end`` reaches the same day of month as ``start``
    (or the last day of a shorter month).  Negative when ``end < start``.
    """
    if end < start:
        return -months_between(end, start)
    months = _month_index(end) - _month_index(start)
    if months and add_months(start, months) > end:
        months -= 1
    return months

