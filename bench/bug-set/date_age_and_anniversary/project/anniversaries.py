"""Work anniversaries and service milestones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ages import age_on, birthday_in_year

MILESTONES = (1, 5, 10, 15, 20, 25, 30, 40)


@dataclass(frozen=True)
class Employee:
    name: str
    hired: date
    born: date | None = None


def anniversary(start: date, years: int) -> date:
    """The day ``years`` full years after ``start``.

    A 29 February start has its anniversaries on 28 February in common years.
    """
    if years < 0:
        raise ValueError("years must not be negative")
    return birthday_in_year(start, start.year + years)


def service_years(employee: Employee, on: date) -> int:
    """Completed years of service on ``on`` (0 before the first anniversary)."""
    if on < employee.hired:
        return 0
    return age_on(employee.hired, on)


def upcoming_anniversaries(staff: list[Employee], start: date, end: date) -> list[tuple[date, str, int]]:
    """Work anniversaries in ``[start, end]`` as ``(date, name, years)``, in date order.

    The hiring day itself is not an anniversary.
    """
    if end < start:
        raise ValueError("end must not be before start")
    found = []
    for employee in staff:
        for year in range(max(start.year, employee.hired.year + 1), end.year + 1):
            years = year - employee.hired.year
            day = anniversary(employee.hired, years)
            if start <= day <= end:
                found.append((day, employee.name, years))
    return sorted(found)


def milestones_between(staff: list[Employee], start: date, end: date) -> list[tuple[date, str, int]]:
    """The anniversaries in ``[start, end]`` worth a card: 1, 5, 10, ... years."""
    return [item for item in upcoming_anniversaries(staff, start, end) if item[2] in MILESTONES]


def loyalty_days(employee: Employee, on: date) -> int:
    """Extra days of leave: one per completed five years of service, at most five."""
    return min(service_years(employee, on) // 5, 5)


def birthdays_this_month(staff: list[Employee], year: int, month: int) -> list[tuple[date, str]]:
    """Birthdays celebrated in the given month, for the staff with a known birth date."""
    result = []
    for employee in staff:
        if employee.born is None:
            continue
        day = birthday_in_year(employee.born, year)
        if day.month == month:
            result.append((day, employee.name))
    return sorted(result)
