from datetime import date

import pytest

from isoweek import IsoWeek, week_one_monday, week_range, weekday_in_week, weeks_in_year


def test_week_one_monday():
    assert week_one_monday(2024) == date(2024, 1, 1)
    assert week_one_monday(2025) == date(2024, 12, 30)


@pytest.mark.parametrize("year, weeks", [(2024, 52), (2025, 52), (2026, 53)])
def test_weeks_in_year(year, weeks):
    assert weeks_in_year(year) == weeks


def test_week_of_late_december_can_be_next_year():
    assert IsoWeek.of(date(2024, 12, 30)) == IsoWeek(2025, 1)


def test_week_of_early_january_can_be_previous_year():
    assert IsoWeek.of(date(2021, 1, 3)) == IsoWeek(2020, 53)


def test_parse_and_format():
    assert str(IsoWeek.parse("2024-W05")) == "2024-W05"
    assert IsoWeek.parse("2024W05") == IsoWeek(2024, 5)


@pytest.mark.parametrize("text", ["2024-W5", "2024-05", "W05-2024"])
def test_parse_rejects(text):
    with pytest.raises(ValueError):
        IsoWeek.parse(text)


def test_no_week_53_in_a_52_week_year():
    with pytest.raises(ValueError):
        IsoWeek(2024, 53)


def test_monday_and_sunday():
    week = IsoWeek(2025, 10)
    assert week.monday() == date(2025, 3, 3)
    assert week.sunday() == date(2025, 3, 9)
    assert len(week.days()) == 7


def test_adding_weeks_crosses_years():
    assert IsoWeek(2024, 52) + 1 == IsoWeek(2025, 1)
    assert IsoWeek(2025, 2) + -3 == IsoWeek(2024, 51)


def test_subtracting_weeks():
    assert IsoWeek(2025, 3) - IsoWeek(2024, 50) == 5


def test_week_range():
    assert week_range(IsoWeek(2024, 51), IsoWeek(2025, 2)) == [
        IsoWeek(2024, 51),
        IsoWeek(2024, 52),
        IsoWeek(2025, 1),
        IsoWeek(2025, 2),
    ]
    assert week_range(IsoWeek(2025, 2), IsoWeek(2025, 1)) == []


def test_weekday_in_week():
    assert weekday_in_week(IsoWeek(2025, 1), 7) == date(2025, 1, 5)
    with pytest.raises(ValueError):
        weekday_in_week(IsoWeek(2025, 1), 0)
