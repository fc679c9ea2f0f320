from datetime import date

import pytest

from billing.months import add_months, days_in_month, is_leap_year, month_end, month_start, months_between


def test_is_leap_year():
    assert is_leap_year(2024)
    assert is_leap_year(2000)
    assert not is_leap_year(2023)
    assert not is_leap_year(1900)


def test_days_in_month():
    assert days_in_month(2023, 2) == 28
    assert days_in_month(2024, 2) == 29
    assert days_in_month(2024, 4) == 30
    assert days_in_month(2024, 12) == 31


def test_days_in_month_rejects_bad_month():
    with pytest.raises(ValueError):
        days_in_month(2024, 13)


def test_month_start_and_end():
    assert month_start(date(2024, 2, 17)) == date(2024, 2, 1)
    assert month_end(date(2024, 2, 17)) == date(2024, 2, 29)
    assert month_end(date(2023, 11, 1)) == date(2023, 11, 30)


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (date(2024, 1, 15), 1, date(2024, 2, 15)),
        (date(2024, 11, 10), 3, date(2025, 2, 10)),
        (date(2024, 3, 5), -3, date(2023, 12, 5)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_add_months_out_of_calendar():
    with pytest.raises(OverflowError):
        add_months(date(9999, 12, 1), 1)


@pytest.mark.parametrize(
    "start, end, months",
    [
        (date(2024, 1, 10), date(2024, 2, 10), 1),
        (date(2024, 1, 10), date(2024, 2, 9), 0),
        (date(2024, 5, 20), date(2024, 2, 20), -3),
    ],
)
def test_months_between(start, end, months):
    assert months_between(start, end) == months
