from datetime import date
from decimal import Decimal

import pytest

from schedule import Loan, add_months, balance_after, build_schedule, due_date

LOAN = Loan(Decimal("10000"), Decimal("6"), 12, date(2024, 2, 1))
CAR = Loan(Decimal("5000"), Decimal("7.2"), 24, date(2024, 11, 30))


def test_add_months_clamps():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 30), 15) == date(2026, 2, 28)


def test_one_row_per_month():
    rows = build_schedule(LOAN)
    assert [row.number for row in rows] == list(range(1, 13))


def test_first_row():
    first = build_schedule(LOAN)[0]
    assert (first.payment, first.interest, first.principal, first.balance) == (
        Decimal("860.66"),
        Decimal("50.00"),
        Decimal("810.66"),
        Decimal("9189.34"),
    )


def test_due_dates_are_monthly_from_the_first_due_date():
    rows = build_schedule(CAR)
    assert [row.due for row in rows[:4]] == [
        date(2024, 11, 30),
        date(2024, 12, 30),
        date(2025, 1, 30),
        date(2025, 2, 28),
    ]


def test_due_date_numbering_starts_at_one():
    with pytest.raises(ValueError):
        due_date(LOAN, 0)


def test_last_payment_absorbs_rounding():
    last = build_schedule(LOAN)[-1]
    assert last.payment == Decimal("860.70")
    assert last.balance == Decimal("0.00")


def test_principal_parts_repay_the_loan():
    rows = build_schedule(CAR)
    assert sum(row.principal for row in rows) == CAR.principal
    assert all(row.payment == row.interest + row.principal for row in rows)


def test_extra_payments_end_the_loan_early():
    rows = build_schedule(CAR, extra=Decimal("100"))
    assert len(rows) == 17
    assert rows[-1].balance == Decimal("0.00")
    assert rows[-1].payment < Decimal("324.32")


def test_negative_extra_rejected():
    with pytest.raises(ValueError):
        build_schedule(LOAN, extra=Decimal("-1"))


@pytest.mark.parametrize(
    "made, balance",
    [(0, "10000"), (1, "9189.34"), (11, "856.42"), (12, "0.00"), (40, "0.00")],
)
def test_balance_after(made, balance):
    assert balance_after(build_schedule(LOAN), made, LOAN.principal) == Decimal(balance)
