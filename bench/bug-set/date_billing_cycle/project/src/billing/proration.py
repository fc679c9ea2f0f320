"""Money side of billing: proration by days, first invoices, upgrades.

Amounts are :class:`decimal.Decimal`; results are rounded half-up to cents.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from billing.cycle import BillingCycle, Period

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def prorate(price: Decimal, period: Period, active_from: date, active_until: date | None = None) -> Decimal:
    """Part of ``price`` for the days of ``period`` in ``[active_from, active_until)``.

    ``price`` is the charge for the full period; the day count of the period
    itself is the denominator, so February is cheaper per period but dearer
    per day.
    """
    if price < 0:
        raise ValueError("price must not be negative")
    start = max(period.start, active_from)
    end = period.end if active_until is None else min(period.end, active_until)
    if end <= start:
        return Decimal("0.00")
    used = (end - start).days
    return to_cents(price * used / period.days)


def first_invoice_amount(cycle: BillingCycle, price: Decimal, signup: date) -> Decimal:
    """Charge for a customer who signs up on ``signup``, billed on ``cycle``.

    Signing up on a bill date pays the full price; otherwise the rest of the
    current period is prorated.
    """
    period = cycle.period_containing(signup)
    if signup == period.start:
        return to_cents(price)
    return prorate(price, period, signup)


def upgrade_charge(cycle: BillingCycle, old_price: Decimal, new_price: Decimal, on: date) -> Decimal:
    """Amount due when switching plans on ``on`` within the current period.

    The unused part of the old plan is credited and the remaining part of the
    new plan is charged; a downgrade gives a negative amount (a credit).
    """
    period = cycle.period_containing(on)
    credit = prorate(old_price, period, on)
    charge = prorate(new_price, period, on)
    return charge - credit


def statement(cycle: BillingCycle, price: Decimal, start: date, end: date) -> list[tuple[date, Decimal]]:
    """``(bill date, amount)`` for the service between ``start`` and ``end``.

    Partial periods at either end are prorated; ``end`` is exclusive.
    """
    lines = []
    for period in cycle.periods(start, end):
        amount = prorate(price, period, start, end)
        if amount:
            lines.append((period.start, amount))
    return lines
