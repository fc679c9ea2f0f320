"""Age-based rules: majority, pensions, school entry and insurance bands."""

from __future__ import annotations

from datetime import date

from ages import age_breakdown, age_on, birthday_in_year

ADULT_AGE = 18


def is_adult(born: date, on: date, adult_age: int = ADULT_AGE) -> bool:
    """Whether someone born on ``born`` has come of age on ``on``."""
    return on >= born and age_on(born, on) >= adult_age


def date_of_majority(born: date, adult_age: int = ADULT_AGE) -> date:
    """First day on which :func:`is_adult` holds.

    For a 29 February birth in a common year that is 1 March.
    """
    day = birthday_in_year(born, born.year + adult_age)
    if day.month != born.month or day.day != born.day:
        day = date(day.year, 3, 1)
    return day


def pension_start(born: date, pension_age: int = 67) -> date:
    """Pensions are paid from the first day of the month after the birthday."""
    day = birthday_in_year(born, born.year + pension_age)
    if day.month == 12:
        return date(day.year + 1, 1, 1)
    return date(day.year, day.month + 1, 1)


def school_entry_year(born: date, entry_age: int = 5, cutoff: tuple[int, int] = (9, 1)) -> int:
    """Year a child starts school in September.

    Children who are ``entry_age`` by the cutoff date (inclusive) start that
    year; the others wait one more year.
    """
    year = born.year + entry_age
    cutoff_day = date(year, *cutoff)
    if age_on(born, cutoff_day) >= entry_age:
        return year
    return year + 1


def age_nearest_birthday(born: date, on: date) -> int:
    """Insurance age: completed years, plus one once six months have passed."""
    years, months, _days = age_breakdown(born, on)
    return years + (1 if months >= 6 else 0)


def insurance_band(born: date, on: date) -> str:
    """Premium band by age nearest birthday."""
    age = age_nearest_birthday(born, on)
    if age < 18:
        raise ValueError("applicants must be adults")
    if age < 30:
        return "A"
    if age < 45:
        return "B"
    if age < 60:
        return "C"
    return "D"


def ages_on(people: dict[str, date], on: date) -> dict[str, int]:
    """Age of every person in ``people`` (name to date of birth) on ``on``."""
    return {name: age_on(born, on) for name, born in sorted(people.items())}
