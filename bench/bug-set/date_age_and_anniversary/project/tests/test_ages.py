from datetime import date

import pytest

from ages import age_breakdown, age_in_months, age_on, birthday_in_year, days_until_birthday, next_birthday


def test_age_the_day_before_a_birthday():
    assert age_on(date(1990, 6, 15), date(2024, 6, 14)) == 33


def test_age_on_the_birthday():
    assert age_on(date(1990, 6, 15), date(2024, 6, 15)) == 34


def test_leap_day_birth_ages_on_first_of_march():
    born = date(2004, 2, 29)
    assert age_on(born, date(2023, 2, 28)) == 18
    assert age_on(born, date(2023, 3, 1)) == 19


def test_age_before_birth_is_an_error():
    with pytest.raises(ValueError):
        age_on(date(2024, 1, 2), date(2024, 1, 1))


@pytest.mark.parametrize(
    "born, on, months",
    [
        (date(2023, 1, 31), date(2023, 2, 28), 0),
        (date(2023, 1, 31), date(2023, 3, 31), 2),
        (date(2022, 11, 10), date(2024, 1, 9), 13),
    ],
)
def test_age_in_months(born, on, months):
    assert age_in_months(born, on) == months


def test_birthday_in_common_year_for_leap_day():
    assert birthday_in_year(date(2000, 2, 29), 2023) == date(2023, 2, 28)
    assert birthday_in_year(date(2000, 2, 29), 2024) == date(2024, 2, 29)


def test_next_birthday_is_strictly_after():
    born = date(1985, 12, 3)
    assert next_birthday(born, date(2024, 12, 3)) == date(2025, 12, 3)
    assert next_birthday(born, date(2024, 12, 2)) == date(2024, 12, 3)


def test_days_until_birthday():
    born = date(1985, 1, 2)
    assert days_until_birthday(born, date(2024, 1, 2)) == 0
    assert days_until_birthday(born, date(2023, 12, 30)) == 3


def test_age_breakdown():
    assert age_breakdown(date(2021, 3, 20), date(2024, 5, 31)) == (3, 2, 11)
    assert age_breakdown(date(2021, 1, 31), date(2021, 3, 5)) == (0, 1, 5)
