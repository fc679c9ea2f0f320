"""Figures a borrower asks about: totals, yearly interest, payoff and savings."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from schedule import Loan, Row, balance_after, build_schedule

ZERO = Decimal("0.00")


def total_interest(rows: list[Row]) -> Decimal:
    return sum((row.interest for row in rows), ZERO)


def total_paid(rows: list[Row]) -> Decimal:
    return sum((row.payment for row in rows), ZERO)


def interest_by_year(rows: list[Row]) -> dict[int, Decimal]:
    """Interest paid per calendar year of the due dates (for tax statements)."""
    years: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        years[row.due.year] += row.interest
    return dict(sorted(years.items()))


def payoff_date(rows: list[Row]) -> date:
    """Due date of the last payment."""
    if not rows:
        raise ValueError("empty schedule")
    return rows[-1].due


def payments_left(rows: list[Row], on: date) -> int:
    """Payments still due after ``on`` (a payment due on ``on`` counts as made)."""
    return sum(1 for row in rows if row.due > on)


def payoff_amount(loan: Loan, on: date) -> Decimal:
    """Balance to settle the loan on ``on``, after the payments due by then."""
    rows = build_schedule(loan)
    made = len(rows) - payments_left(rows, on)
    return balance_after(rows, made, loan.principal)


def extra_payment_savings(loan: Loan, extra: Decimal) -> dict[str, object]:
    """What paying ``extra`` every month saves: interest, months and the new end date."""
    base = build_schedule(loan)
    faster = build_schedule(loan, extra)
    return {
        "interest_saved": total_interest(base) - total_interest(faster),
        "months_saved": len(base) - len(faster),
        "new_payoff": payoff_date(faster),
    }


def compare(loans: dict[str, Loan]) -> list[tuple[str, Decimal, Decimal]]:
    """``(name, payment, total interest)`` per loan, cheapest total interest first."""
    rows = []
    for name, loan in loans.items():
        rows.append((name, loan.payment, total_interest(build_schedule(loan))))
    return sorted(rows, key=lambda item: (item[2], item[0]))
