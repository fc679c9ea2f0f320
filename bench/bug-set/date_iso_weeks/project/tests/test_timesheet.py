from datetime import date
from decimal import Decimal

import pytest

from isoweek import IsoWeek
from timesheet import Entry, Timesheet


@pytest.fixture
def sheet():
    s = Timesheet("mia")
    s.log(date(2024, 12, 27), "alpha", "8")
    s.log(date(2024, 12, 30), "alpha", "6.5")
    s.log(date(2024, 12, 31), "beta", "7")
    s.log(date(2025, 1, 2), "alpha", "9")
    return s


def test_hours_on_a_day(sheet):
    sheet.log(date(2024, 12, 30), "beta", "1.5")
    assert sheet.hours_on(date(2024, 12, 30)) == Decimal("8.0")


def test_day_cannot_exceed_24_hours(sheet):
    sheet.log(date(2025, 1, 3), "alpha", "20")
    with pytest.raises(ValueError):
        sheet.log(date(2025, 1, 3), "beta", "4.5")


def test_entry_validation():
    with pytest.raises(ValueError):
        Entry(date(2025, 1, 1), "alpha", Decimal("0"))
    with pytest.raises(ValueError):
        Entry(date(2025, 1, 1), "", Decimal("1"))


def test_by_week_groups_across_new_year(sheet):
    assert sheet.by_week() == {
        IsoWeek(2024, 52): Decimal("8"),
        IsoWeek(2025, 1): Decimal("22.5"),
    }


def test_new_year_in_week_53():
    s = Timesheet("ola")
    s.log(date(2026, 12, 31), "alpha", "8")
    s.log(date(2027, 1, 1), "alpha", "4")
    s.log(date(2027, 1, 4), "alpha", "8")
    assert s.by_week() == {IsoWeek(2026, 53): Decimal("12"), IsoWeek(2027, 1): Decimal("8")}


def test_by_week_and_project(sheet):
    assert sheet.by_week_and_project()[IsoWeek(2025, 1)] == {
        "alpha": Decimal("15.5"),
        "beta": Decimal("7"),
    }


def test_overtime():
    s = Timesheet("kai")
    for day in range(3, 8):  # Monday 3 March 2025 to Friday
        s.log(date(2025, 3, day), "alpha", "9")
    s.log(date(2025, 3, 10), "alpha", "8")
    assert s.overtime() == {IsoWeek(2025, 10): Decimal("5")}


def test_weekend_hours(sheet):
    sheet.log(date(2025, 1, 4), "beta", "3")
    assert sheet.weekend_hours() == Decimal("3")


def test_span(sheet):
    assert sheet.span() == (IsoWeek(2024, 52), IsoWeek(2025, 1))
    assert Timesheet("nobody").span() is None
