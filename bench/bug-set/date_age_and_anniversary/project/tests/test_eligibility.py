from datetime import date

import pytest

from eligibility import (
    age_nearest_birthday,
    ages_on,
    date_of_majority,
    insurance_band,
    is_adult,
    pension_start,
    school_entry_year,
)


def test_not_adult_the_day_before():
    assert not is_adult(date(2006, 5, 17), date(2024, 5, 16))


def test_adult_on_eighteenth_birthday():
    assert is_adult(date(2006, 5, 17), date(2024, 5, 17))


def test_majority_of_leap_day_birth():
    assert date_of_majority(date(2008, 2, 29)) == date(2026, 3, 1)
    assert date_of_majority(date(2006, 2, 28)) == date(2024, 2, 28)


def test_pension_start():
    assert pension_start(date(1960, 4, 12)) == date(2027, 5, 1)
    assert pension_start(date(1958, 12, 31)) == date(2026, 1, 1)


@pytest.mark.parametrize(
    "born, year",
    [
        (date(2019, 3, 14), 2024),
        (date(2019, 9, 1), 2024),
        (date(2019, 9, 2), 2025),
    ],
)
def test_school_entry_year(born, year):
    assert school_entry_year(born) == year


def test_age_nearest_birthday():
    born = date(1990, 1, 10)
    assert age_nearest_birthday(born, date(2024, 7, 9)) == 34
    assert age_nearest_birthday(born, date(2024, 7, 10)) == 35


def test_insurance_bands():
    assert insurance_band(date(2000, 1, 1), date(2024, 3, 1)) == "A"
    assert insurance_band(date(1980, 1, 1), date(2024, 3, 1)) == "B"
    assert insurance_band(date(1950, 1, 1), date(2024, 3, 1)) == "D"


def test_minors_cannot_be_insured():
    with pytest.raises(ValueError):
        insurance_band(date(2010, 1, 1), date(2024, 3, 1))


def test_ages_on():
    people = {"zoe": date(2001, 8, 30), "amir": date(1975, 2, 1)}
    assert ages_on(people, date(2024, 8, 1)) == {"amir": 49, "zoe": 22}
