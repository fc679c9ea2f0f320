from datetime import date

import pytest

from billing.cycle import BillingCycle, Period


def test_first_bill_date_is_anchor():
    cycle = BillingCycle(date(2024, 3, 12))
    assert cycle.bill_date(0) == date(2024, 3, 12)


def test_monthly_bill_dates_mid_month():
    cycle = BillingCycle(date(2024, 10, 15))
    assert [cycle.bill_date(n) for n in range(4)] == [
        date(2024, 10, 15),
        date(2024, 11, 15),
        date(2024, 12, 15),
        date(2025, 1, 15),
    ]


def test_anchor_on_31st_follows_month_ends():
    cycle = BillingCycle(date(2024, 1, 31))
    assert [cycle.bill_date(n) for n in range(4)] == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
    ]


def test_quarterly_interval():
    cycle = BillingCycle(date(2024, 2, 1), interval=3)
    assert cycle.bill_date(1) == date(2024, 5, 1)
    assert cycle.period(3) == Period(date(2024, 11, 1), date(2025, 2, 1))


def test_interval_must_be_positive():
    with pytest.raises(ValueError):
        BillingCycle(date(2024, 1, 1), interval=0)


def test_period_days_and_membership():
    period = BillingCycle(date(2024, 2, 10)).period(0)
    assert period.days == 29
    assert date(2024, 2, 10) in period
    assert date(2024, 3, 9) in period
    assert date(2024, 3, 10) not in period


def test_empty_period_is_rejected():
    with pytest.raises(ValueError):
        Period(date(2024, 1, 1), date(2024, 1, 1))


@pytest.mark.parametrize(
    "day, index",
    [
        (date(2024, 6, 19), 0),
        (date(2024, 6, 20), 1),
        (date(2025, 1, 1), 7),
    ],
)
def test_index_of(day, index):
    assert BillingCycle(date(2024, 5, 20)).index_of(day) == index


def test_index_before_anchor_is_an_error():
    with pytest.raises(ValueError):
        BillingCycle(date(2024, 5, 20)).index_of(date(2024, 5, 19))


def test_period_containing_february_for_month_end_anchor():
    cycle = BillingCycle(date(2023, 12, 31))
    assert cycle.period_containing(date(2024, 3, 1)) == Period(date(2024, 2, 29), date(2024, 3, 31))


def test_next_bill_date():
    cycle = BillingCycle(date(2024, 4, 8))
    assert cycle.next_bill_date(date(2024, 1, 1)) == date(2024, 4, 8)
    assert cycle.next_bill_date(date(2024, 4, 8)) == date(2024, 5, 8)
    assert cycle.next_bill_date(date(2024, 5, 7)) == date(2024, 5, 8)


def test_bill_dates_in_range_are_inclusive():
    cycle = BillingCycle(date(2024, 1, 5))
    assert list(cycle.bill_dates(date(2024, 3, 5), date(2024, 5, 5))) == [
        date(2024, 3, 5),
        date(2024, 4, 5),
        date(2024, 5, 5),
    ]


def test_periods_overlapping_range():
    cycle = BillingCycle(date(2024, 1, 5))
    periods = cycle.periods(date(2024, 2, 20), date(2024, 4, 5))
    assert [p.start for p in periods] == [date(2024, 2, 5), date(2024, 3, 5)]
    assert cycle.periods(date(2024, 4, 5), date(2024, 4, 5)) == []
