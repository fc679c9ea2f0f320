from datetime import date
from decimal import Decimal

import pytest

from billing.cycle import BillingCycle, Period
from billing.proration import first_invoice_amount, prorate, statement, upgrade_charge

PRICE = Decimal("30.00")


def test_full_period_costs_full_price():
    period = Period(date(2024, 4, 1), date(2024, 5, 1))
    assert prorate(PRICE, period, date(2024, 4, 1)) == Decimal("30.00")


def test_half_period():
    period = Period(date(2024, 4, 1), date(2024, 5, 1))
    assert prorate(PRICE, period, date(2024, 4, 16)) == Decimal("15.00")


def test_prorate_rounds_half_up_to_cents():
    period = Period(date(2024, 4, 1), date(2024, 5, 1))
    # 10.00 * 7 / 30 = 2.333...; 0.25 * 15 / 30 = 0.125 rounds up, not to even
    assert prorate(Decimal("10.00"), period, date(2024, 4, 24)) == Decimal("2.33")
    assert prorate(Decimal("0.25"), period, date(2024, 4, 16)) == Decimal("0.13")


def test_no_overlap_costs_nothing():
    period = Period(date(2024, 4, 1), date(2024, 5, 1))
    assert prorate(PRICE, period, date(2024, 5, 1)) == Decimal("0.00")


def test_negative_price_rejected():
    period = Period(date(2024, 4, 1), date(2024, 5, 1))
    with pytest.raises(ValueError):
        prorate(Decimal("-1"), period, date(2024, 4, 1))


def test_first_invoice_on_bill_date_is_full_price():
    cycle = BillingCycle(date(2024, 1, 10))
    assert first_invoice_amount(cycle, PRICE, date(2024, 3, 10)) == Decimal("30.00")


def test_first_invoice_mid_period():
    cycle = BillingCycle(date(2024, 1, 10))
    # period 10 Apr .. 10 May has 30 days, 20 of them left from 20 Apr
    assert first_invoice_amount(cycle, PRICE, date(2024, 4, 20)) == Decimal("20.00")


def test_first_invoice_in_short_month_of_month_end_cycle():
    cycle = BillingCycle(date(2024, 1, 31))
    # period 29 Feb .. 31 Mar has 31 days, 16 of them left from 15 Mar
    assert first_invoice_amount(cycle, Decimal("31.00"), date(2024, 3, 15)) == Decimal("16.00")


def test_upgrade_and_downgrade():
    cycle = BillingCycle(date(2024, 6, 1))
    on = date(2024, 6, 16)  # 15 of 30 days left
    assert upgrade_charge(cycle, Decimal("10.00"), Decimal("30.00"), on) == Decimal("10.00")
    assert upgrade_charge(cycle, Decimal("30.00"), Decimal("10.00"), on) == Decimal("-10.00")


def test_statement_prorates_both_ends():
    cycle = BillingCycle(date(2024, 1, 1))
    lines = statement(cycle, Decimal("31.00"), date(2024, 1, 17), date(2024, 3, 11))
    assert lines == [
        (date(2024, 1, 1), Decimal("15.00")),
        (date(2024, 2, 1), Decimal("31.00")),
        (date(2024, 3, 1), Decimal("10.00")),
    ]


def test_statement_for_month_end_cycle():
    cycle = BillingCycle(date(2023, 10, 31))
    lines = statement(cycle, Decimal("60.00"), date(2023, 10, 31), date(2023, 12, 31))
    assert lines == [
        (date(2023, 10, 31), Decimal("60.00")),
        (date(2023, 11, 30), Decimal("60.00")),
    ]
