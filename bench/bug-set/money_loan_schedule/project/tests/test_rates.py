from decimal import Decimal

import pytest

from rates import effective_annual_rate, level_payment, monthly_rate, months_to_repay


def test_monthly_rate():
    assert monthly_rate(Decimal("6")) == Decimal("0.005")


def test_negative_rate_rejected():
    with pytest.raises(ValueError):
        monthly_rate(Decimal("-0.5"))


@pytest.mark.parametrize(
    "principal, percent, months, payment",
    [
        ("10000", "6", 12, "860.66"),
        ("250000", "4.5", 360, "1266.71"),
        ("5000", "7.2", 24, "224.32"),
    ],
)
def test_level_payment(principal, percent, months, payment):
    assert level_payment(Decimal(principal), Decimal(percent), months) == Decimal(payment)


def test_interest_free_loan_divides_evenly():
    assert level_payment(Decimal("1200"), Decimal("0"), 12) == Decimal("100.00")


@pytest.mark.parametrize("principal, months", [("0", 12), ("-100", 12), ("1000", 0)])
def test_level_payment_rejects(principal, months):
    with pytest.raises(ValueError):
        level_payment(Decimal(principal), Decimal("5"), months)


def test_effective_annual_rate():
    assert effective_annual_rate(Decimal("6")) == Decimal("6.1678")
    assert effective_annual_rate(Decimal("0")) == Decimal("0.0000")


def test_months_to_repay():
    assert months_to_repay(Decimal("10000"), Decimal("6"), Decimal("900")) == 12
    assert months_to_repay(Decimal("10000"), Decimal("6"), Decimal("1000")) == 11


def test_payment_below_interest_never_repays():
    with pytest.raises(ValueError):
        months_to_repay(Decimal("10000"), Decimal("12"), Decimal("100"))
