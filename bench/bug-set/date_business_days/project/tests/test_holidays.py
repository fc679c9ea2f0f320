from datetime import date

import pytest

from holidays import (
    MONDAY,
    THURSDAY,
    FixedHoliday,
    HolidayCalendar,
    NthWeekdayHoliday,
    nth_weekday,
    observed,
    standard_calendar,
)


@pytest.mark.parametrize(
    "year, month, weekday, n, expected",
    [
        (2024, 11, THURSDAY, 4, date(2024, 11, 28)),
        (2024, 9, MONDAY, 1, date(2024, 9, 2)),
        (2024, 5, MONDAY, -1, date(2024, 5, 27)),
        (2024, 12, MONDAY, -1, date(2024, 12, 30)),
    ],
)
def test_nth_weekday(year, month, weekday, n, expected):
    assert nth_weekday(year, month, weekday, n) == expected


def test_nth_weekday_that_does_not_exist():
    with pytest.raises(ValueError):
        nth_weekday(2023, 2, MONDAY, 5)


def test_nth_weekday_rejects_zero():
    with pytest.raises(ValueError):
        nth_weekday(2024, 1, MONDAY, 0)


def test_sunday_holiday_is_observed_on_monday():
    assert observed(date(2023, 1, 1)) == date(2023, 1, 2)


def test_weekday_holiday_is_observed_on_the_day():
    assert observed(date(2024, 7, 4)) == date(2024, 7, 4)


def test_unobserved_fixed_holiday_keeps_its_date():
    rule = FixedHoliday("Founders' Day", 10, 1, observe=False)
    assert rule.date_in(2023) == date(2023, 10, 1)  # a Sunday


def test_standard_holidays_2024():
    assert standard_calendar().holidays_in(2024) == {
        date(2024, 1, 1): "New Year's Day",
        date(2024, 1, 15): "Civil Rights Day",
        date(2024, 5, 27): "Memorial Day",
        date(2024, 7, 4): "Independence Day",
        date(2024, 9, 2): "Labor Day",
        date(2024, 11, 28): "Thanksgiving",
        date(2024, 12, 25): "Christmas Day",
    }


def test_name_of():
    cal = standard_calendar()
    assert cal.name_of(date(2023, 1, 2)) == "New Year's Day"
    assert cal.name_of(date(2023, 1, 3)) is None


def test_holidays_are_cached_per_year():
    cal = HolidayCalendar([NthWeekdayHoliday("Thanksgiving", 11, THURSDAY, 4)])
    assert cal.holidays_in(2025) is cal.holidays_in(2025)
    assert cal.is_holiday(date(2025, 11, 27))
