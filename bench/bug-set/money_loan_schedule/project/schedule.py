"""Amortisation schedules: one row per monthly payment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rates import level_payment, monthly_rate, to_cents

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS[month - 1]


def add_months(d: date, months: int) -> date:
    """``d`` moved by whole months, the day clamped to the month's length."""
    year, month0 = divmod(d.year * 12 + d.month - 1 + months, 12)
    return date(year, month0 + 1, min(d.day, _days_in_month(year, month0 + 1)))


@dataclass(frozen=True)
class Row:
    number: int
    due: date
    payment: Decimal
    interest: Decimal
    principal: Decimal
    balance: Decimal


@dataclass(frozen=True)
class Loan:
    principal: Decimal
    annual_percent: Decimal
    months: int
    first_due: date

    @property
    def payment(self) -> Decimal:
        return level_payment(self.principal, self.annual_percent, self.months)


def due_date(loan: Loan, number: int) -> date:
    """Due date of payment ``number`` (the first payment is number 1)."""
    if number < 1:
        raise ValueError("payments are numbered from 1")
    return add_months(loan.first_due, number - 1)


def build_schedule(loan: Loan, extra: Decimal = Decimal("0")) -> list[Row]:
    """The full schedule, optionally with ``extra`` principal paid every month.

    Interest is charged on the outstanding balance and rounded to cents each
    month.  The final payment is whatever clears the balance, so it can be a
    little more or less than the others; extra payments end the loan early.
    """
    if extra < 0:
        raise ValueError("extra payment must not be negative")
    r = monthly_rate(loan.annual_percent)
    regular = loan.payment
    balance = loan.principal
    rows = []
    number = 0
    while balance > 0:
        number += 1
        interest = to_cents(balance * r)
        principal = regular + extra - interest
        if number >= loan.months or principal >= balance:
            principal = balance
        balance -= principal
        rows.append(Row(number, due_date(loan, number), interest + principal, interest, principal, balance))
    return rows


def balance_after(rows: list[Row], payments_made: int, principal: Decimal) -> Decimal:
    """Outstanding balance once ``payments_made`` payments have been made."""
    if payments_made < 0:
        raise ValueError("payments_made must not be negative")
    if payments_made == 0:
        return principal
    if payments_made >= len(rows):
        return Decimal("0.00")
    return rows[payments_made - 1].balance
