"""Ages from a date of birth, counted the way people count them.

Someone born on 29 February becomes a year older on 1 March in common years
(the day after 28 February), which is what comparing ``(month, day)`` pairs
gives for free.
"""

from __future__ import annotations

from datetime import date, timedelta


def _check_order(born: date, on: date) -> None:
    if on < born:
        raise ValueError(f"{on} is before the date of birth {born}")


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def age_on(born: date, on: date) -> int:
    """Completed years of age on ``on``."""
    _check_order(born, on)
    before_birthday = (on.month, on.day) < (born.month, born.day)
    return on.year - born.year - before_birthday


def age_in_months(born: date, on: date) -> int:
    """Completed months of age on ``on``."""
    _check_order(born, on)
    months = (on.year - born.year) * 12 + on.month - born.month
    if on.day < born.day:
        months -= 1
    return months


def birthday_in_year(born: date, year: int) -> date:
    """The date the birthday is celebrated in ``year``.

    29 February birthdays are celebrated on 28 February in common years.
    """
    if born.month == 2 and born.day == 29 and not _is_leap(year):
        return date(year, 2, 28)
    return date(year, born.month, born.day)


def next_birthday(born: date, after: date) -> date:
    """First birthday celebration strictly after ``after``."""
    candidate = birthday_in_year(born, after.year)
    if candidate <= after:
        candidate = birthday_in_year(born, after.year + 1)
    return candidate


def days_until_birthday(born: date, today: date) -> int:
    """Days from ``today`` to the next celebration; 0 on the day itself."""
    if birthday_in_year(born, today.year) == today:
        return 0
    return (next_birthday(born, today) - today).days


def age_breakdown(born: date, on: date) -> tuple[int, int, int]:
    """``(years, months, days)`` of age, e.g. ``(3, 2, 11)`` for a toddler.

    Days are counted from the last "monthiversary"; when the birth day does
    not exist in that month the count starts from the month's last day.
    """
    months_total = age_in_months(born, on)
    years, months = divmod(months_total, 12)
    anchor_year, anchor_month0 = divmod(born.year * 12 + born.month - 1 + months_total, 12)
    anchor_month = anchor_month0 + 1
    last_day = (date(anchor_year + anchor_month // 12, anchor_month % 12 + 1, 1) - timedelta(days=1)).day
    anchor = date(anchor_year, anchor_month, min(born.day, last_day))
    return years, months, (on - anchor).days
