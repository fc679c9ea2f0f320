from datetime import date
from decimal import Decimal

import pytest

from isoweek import IsoWeek
from report import average_week, busiest_week, invoice_week, render, weekly_rows
from timesheet import Timesheet


@pytest.fixture
def sheet():
    s = Timesheet("mia")
    s.log(date(2025, 2, 3), "alpha", "20")
    s.log(date(2025, 2, 4), "alpha", "22.5")
    s.log(date(2025, 2, 18), "beta", "7.25")
    s.log(date(2025, 2, 19), "alpha", "0.75")
    return s


def test_weekly_rows_fill_gaps(sheet):
    assert weekly_rows(sheet) == [
        ("2025-W06", Decimal("42.5"), Decimal("2.5")),
        ("2025-W07", Decimal("0"), Decimal("0")),
        ("2025-W08", Decimal("8.00"), Decimal("0")),
    ]


def test_weekly_rows_over_a_53_week_year():
    s = Timesheet("ola")
    s.log(date(2020, 12, 22), "alpha", "8")
    s.log(date(2021, 1, 5), "alpha", "8")
    assert [week for week, _, _ in weekly_rows(s)] == ["2020-W52", "2020-W53", "2021-W01"]


def test_render(sheet):
    assert render(sheet).splitlines() == [
        "Hours for mia",
        "2025-W06    42.5 h  (+2.5 overtime)",
        "2025-W07       0 h",
        "2025-W08    8.00 h",
    ]


def test_empty_sheet():
    assert weekly_rows(Timesheet("x")) == []
    assert average_week(Timesheet("x")) == Decimal("0")


def test_invoice_week(sheet):
    rates = {"alpha": Decimal("95.50"), "beta": Decimal("120")}
    assert invoice_week(sheet, IsoWeek(2025, 8), rates) == {
        "alpha": Decimal("71.63"),
        "beta": Decimal("870.00"),
    }


def test_invoice_needs_every_rate(sheet):
    with pytest.raises(KeyError):
        invoice_week(sheet, IsoWeek(2025, 8), {"alpha": Decimal("95")})


def test_average_counts_empty_weeks(sheet):
    assert average_week(sheet) == Decimal("16.83")


def test_busiest_week(sheet):
    assert busiest_week(sheet) == ("2025-W06", Decimal("42.5"))
