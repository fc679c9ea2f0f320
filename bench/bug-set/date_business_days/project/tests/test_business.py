from datetime import date

import pytest

from business import BusinessCalendar
from holidays import FRIDAY, SATURDAY, standard_calendar


@pytest.fixture
def cal():
    return BusinessCalendar(standard_calendar())


def test_plain_weekday_is_business_day(cal):
    assert cal.is_business_day(date(2024, 3, 13))


def test_weekend_and_holiday_are_not(cal):
    assert not cal.is_business_day(date(2024, 3, 16))
    assert not cal.is_business_day(date(2024, 11, 28))


def test_saturday_holiday_is_taken_on_friday(cal):
    # 4 July 2026 is a Saturday
    assert not cal.is_business_day(date(2026, 7, 3))
    assert cal.is_business_day(date(2026, 7, 2))


def test_roll_forward_and_backward(cal):
    assert cal.roll_forward(date(2024, 8, 31)) == date(2024, 9, 3)  # weekend + Labor Day
    assert cal.roll_backward(date(2024, 9, 2)) == date(2024, 8, 30)
    assert cal.roll_forward(date(2024, 9, 4)) == date(2024, 9, 4)


def test_modified_following_stays_in_month(cal):
    assert cal.modified_following(date(2024, 8, 31)) == date(2024, 8, 30)
    assert cal.modified_following(date(2024, 6, 15)) == date(2024, 6, 17)


@pytest.mark.parametrize(
    "start, n, expected",
    [
        (date(2024, 11, 26), 3, date(2024, 12, 2)),  # over Thanksgiving and a weekend
        (date(2024, 3, 15), 1, date(2024, 3, 18)),
        (date(2024, 3, 18), -1, date(2024, 3, 15)),
        (date(2024, 3, 16), 0, date(2024, 3, 18)),
    ],
)
def test_add_business_days(cal, start, n, expected):
    assert cal.add_business_days(start, n) == expected


def test_business_days_between_is_half_open(cal):
    assert cal.business_days_between(date(2024, 3, 11), date(2024, 3, 18)) == 5
    assert cal.business_days_between(date(2024, 3, 18), date(2024, 3, 11)) == -5
    assert cal.business_days_between(date(2024, 3, 11), date(2024, 3, 11)) == 0


def test_business_days_in_may_2024(cal):
    days = cal.business_days_in_month(2024, 5)
    assert len(days) == 22
    assert date(2024, 5, 27) not in days


def test_last_business_day_before_observed_new_year(cal):
    # 1 January 2022 is a Saturday, observed on Friday 31 December 2021
    assert cal.last_business_day_of_month(2021, 12) == date(2021, 12, 30)


def test_custom_weekend(cal):
    gulf = BusinessCalendar(standard_calendar(), weekend=(FRIDAY, SATURDAY))
    assert gulf.is_business_day(date(2024, 3, 17))  # a Sunday
    assert not gulf.is_business_day(date(2024, 3, 15))
