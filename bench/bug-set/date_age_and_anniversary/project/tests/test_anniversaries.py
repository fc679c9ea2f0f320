from datetime import date

import pytest

from anniversaries import (
    Employee,
    anniversary,
    birthdays_this_month,
    loyalty_days,
    milestones_between,
    service_years,
    upcoming_anniversaries,
)

STAFF = [
    Employee("ana", date(2014, 3, 10), born=date(1980, 3, 2)),
    Employee("ben", date(2019, 3, 1), born=date(1992, 4, 30)),
    Employee("chloe", date(2023, 2, 20)),
    Employee("dev", date(2024, 3, 5), born=date(1999, 3, 31)),
]


def test_anniversary_of_leap_day_start():
    assert anniversary(date(2020, 2, 29), 1) == date(2021, 2, 28)
    assert anniversary(date(2020, 2, 29), 4) == date(2024, 2, 29)


def test_anniversary_rejects_negative_years():
    with pytest.raises(ValueError):
        anniversary(date(2020, 1, 1), -1)


def test_service_years_before_hire_is_zero():
    assert service_years(STAFF[0], date(2013, 1, 1)) == 0


def test_service_years_day_before_anniversary():
    assert service_years(STAFF[0], date(2024, 3, 9)) == 9


def test_service_years_on_anniversary():
    assert service_years(STAFF[0], date(2024, 3, 10)) == 10


def test_upcoming_anniversaries_in_march():
    assert upcoming_anniversaries(STAFF, date(2024, 3, 1), date(2024, 3, 31)) == [
        (date(2024, 3, 1), "ben", 5),
        (date(2024, 3, 10), "ana", 10),
    ]


def test_upcoming_anniversaries_window_is_inclusive():
    assert upcoming_anniversaries(STAFF, date(2024, 2, 20), date(2024, 2, 20)) == [
        (date(2024, 2, 20), "chloe", 1),
    ]


def test_upcoming_anniversaries_rejects_reversed_window():
    with pytest.raises(ValueError):
        upcoming_anniversaries(STAFF, date(2024, 3, 2), date(2024, 3, 1))


def test_milestones_skip_ordinary_years():
    found = milestones_between(STAFF, date(2025, 1, 1), date(2025, 12, 31))
    assert found == [(date(2025, 3, 5), "dev", 1)]


def test_loyalty_days_are_capped():
    assert loyalty_days(Employee("old", date(1980, 1, 1)), date(2024, 6, 1)) == 5
    assert loyalty_days(STAFF[1], date(2024, 6, 1)) == 1


def test_birthdays_this_month():
    assert birthdays_this_month(STAFF, 2024, 3) == [
        (date(2024, 3, 2), "ana"),
        (date(2024, 3, 31), "dev"),
    ]
