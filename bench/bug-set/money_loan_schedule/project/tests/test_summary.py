from datetime import date
from decimal import Decimal

from schedule import Loan, build_schedule
from summary import (
    compare,
    extra_payment_savings,
    interest_by_year,
    payments_left,
    payoff_amount,
    payoff_date,
    total_interest,
    total_paid,
)

LOAN = Loan(Decimal("10000"), Decimal("6"), 12, date(2024, 2, 1))
CAR = Loan(Decimal("5000"), Decimal("7.2"), 24, date(2024, 11, 30))


def test_totals():
    rows = build_schedule(LOAN)
    assert total_interest(rows) == Decimal("327.96")
    assert total_paid(rows) == Decimal("10327.96")


def test_interest_by_calendar_year():
    assert interest_by_year(build_schedule(CAR)) == {
        2024: Decimal("58.83"),
        2025: Decimal("252.47"),
        2026: Decimal("72.28"),
    }


def test_payoff_date_and_payments_left():
    rows = build_schedule(LOAN)
    assert payoff_date(rows) == date(2025, 1, 1)
    assert payments_left(rows, date(2024, 6, 1)) == 7


def test_payoff_amount():
    assert payoff_amount(CAR, date(2025, 3, 15)) == Decimal("4215.69")


def test_payoff_before_first_payment_is_the_principal():
    assert payoff_amount(CAR, date(2024, 11, 1)) == Decimal("5000")


def test_extra_payment_savings():
    assert extra_payment_savings(CAR, Decimal("100")) == {
        "interest_saved": Decimal("121.11"),
        "months_saved": 7,
        "new_payoff": date(2026, 3, 30),
    }


def test_compare_orders_by_total_interest():
    loans = {
        "bank": Loan(Decimal("10000"), Decimal("5"), 24, date(2024, 1, 1)),
        "dealer": Loan(Decimal("10000"), Decimal("6"), 12, date(2024, 1, 1)),
    }
    assert compare(loans) == [
        ("dealer", Decimal("860.66"), Decimal("327.96")),
        ("bank", Decimal("438.71"), Decimal("529.15")),
    ]
