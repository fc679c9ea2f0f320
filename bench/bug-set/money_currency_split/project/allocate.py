"""Splitting an amount into parts that add up to exactly the amount.

Rounding every part on its own loses or invents cents (100 split three ways
is 33.33 * 3 = 99.99).  These functions work in integer minor units and hand
out the leftover units by the largest remainder method.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Sequence

from money import from_minor, to_minor


def allocate(total: int, weights: Sequence[int | Decimal]) -> list[int]:
    """Split ``total`` minor units in proportion to ``weights``.

    The parts always sum to ``total``.  Leftover units go to the parts with
    the largest fractional remainders, earlier parts first on a tie.  A
    negative ``total`` (a refund) is split like its absolute value.
    """
    if not weights:
        raise ValueError("need at least one weight")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(Fraction(w) for w in weights)
    if weight_sum == 0:
        raise ValueError("weights must not all be zero")
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    parts = []
    remainders = []
    for w in weights:
        exact = magnitude * Fraction(w) / weight_sum
        whole = exact.numerator // exact.denominator
        parts.append(whole)
        remainders.append(exact - whole)
    leftover = magnitude - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: remainders[i], reverse=True)
    for i in order[:leftover]:
        parts[i] += 1
    return [sign * p for p in parts]


def split_evenly(total: int, n: int) -> list[int]:
    """``total`` minor units in ``n`` parts differing by at most one unit."""
    if n < 1:
        raise ValueError("cannot split into fewer than one part")
    return allocate(total, [1] * n)


def allocate_amount(amount: Decimal, currency: str, weights: Sequence[int | Decimal]) -> list[Decimal]:
    """:func:`allocate` for a Decimal amount of ``currency``."""
    return [from_minor(part, currency) for part in allocate(to_minor(amount, currency), weights)]


def split_amount(amount: Decimal, currency: str, n: int) -> list[Decimal]:
    """:func:`split_evenly` for a Decimal amount of ``currency``."""
    return [from_minor(part, currency) for part in split_evenly(to_minor(amount, currency), n)]
