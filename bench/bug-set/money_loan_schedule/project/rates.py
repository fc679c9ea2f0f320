"""Interest rates and the level payment of an amortising loan.

Rates are given as annual nominal percentages (``Decimal("4.5")`` for
4.5 % a year) compounded monthly, as on most consumer loans and mortgages.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def monthly_rate(annual_percent: Decimal) -> Decimal:
    """``Decimal("6")`` -> ``Decimal("0.005")``."""
    if annual_percent < 0:
        raise ValueError("interest rate must not be negative")
    return annual_percent / 100 / 12


def level_payment(principal: Decimal, annual_percent: Decimal, months: int) -> Decimal:
    """Monthly payment that repays ``principal`` in ``months`` equal instalments.

    ``P * r / (1 - (1 + r) ** -n)``, rounded to cents; a zero rate divides
    the principal evenly.  The last instalment of a schedule absorbs the
    rounding (see :mod:`schedule`).
    """
    if principal <= 0:
        raise ValueError("principal must be positive")
    if months < 1:
        raise ValueError("a loan needs at least one payment")
    r = monthly_rate(annual_percent)
    if r == 0:
        return to_cents(principal / months)
    with localcontext() as ctx:
        ctx.prec = 40
        factor = (1 + r) ** months
        payment = principal * r * factor / (factor - 1)
    return to_cents(payment)


def effective_annual_rate(annual_percent: Decimal) -> Decimal:
    """Annual percentage yield of monthly compounding, to 4 decimal places."""
    r = monthly_rate(annual_percent)
    with localcontext() as ctx:
        ctx.prec = 40
        ear = ((1 + r) ** 12 - 1) * 100
    return ear.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def months_to_repay(principal: Decimal, annual_percent: Decimal, payment: Decimal) -> int:
    """Number of monthly payments of at most ``payment`` needed to clear ``principal``.

    Simulates the loan month by month with interest rounded to cents; the
    last payment is whatever is left.  Raises when the payment does not even
    cover the interest.
    """
    r = monthly_rate(annual_percent)
    balance = principal
    months = 0
    while balance > 0:
        interest = to_cents(balance * r)
        if payment <= interest:
            raise ValueError("payment does not cover the interest; the loan is never repaid")
        balance = balance + interest - payment
        months += 1
    return months
