"""Decimal money helpers: rounding, parsing and formatting amounts.

Every amount is a :class:`decimal.Decimal`.  Commercial rounding is used
throughout: halves are rounded away from zero (``2.345`` -> ``2.35``,
``-2.345`` -> ``-2.35``), which is what tax authorities expect on invoices.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

_AMOUNT = re.compile(r"^(-)?(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d{1,2}))?$")

CURRENCY_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}


def round_money(amount: Decimal) -> Decimal:
    """Round ``amount`` to cents, halves away from zero."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(text: str) -> Decimal:
    """Parse ``"1,234.5"`` or ``"-12"`` into a two-place Decimal.

    Thousands separators must be well placed and at most two decimals are
    accepted: an amount typed with more precision is a data-entry error, not
    something to round silently.
    """
    cleaned = text.strip().replace(" ", "")
    m = _AMOUNT.match(cleaned)
    if not m:
        raise ValueError(f"not an amount: {text!r}")
    sign, whole, frac = m.groups()
    try:
        value = Decimal(whole.replace(",", "") + "." + (frac or "0"))
    except InvalidOperation:  # pragma: no cover - the regex rules it out
        raise ValueError(f"not an amount: {text!r}") from None
    value = value.quantize(CENT)
    return -value if sign else value


def format_amount(amount: Decimal, currency: str | None = None) -> str:
    """``Decimal("-1234.5")`` -> ``"-1,234.50"``; with a currency ``"-€1,234.50"``."""
    value = round_money(amount)
    sign = "-" if value < 0 else ""
    text = f"{abs(value):,.2f}"
    if currency is None:
        return sign + text
    symbol = CURRENCY_SYMBOLS.get(currency)
    if symbol is None:
        return f"{sign}{text} {currency}"
    return f"{sign}{symbol}{text}"


def percent(rate: Decimal) -> str:
    """``Decimal("0.075")`` -> ``"7.5%"``."""
    value = (rate * 100).normalize()
    return f"{value:f}%"


def sum_money(amounts) -> Decimal:
    """Sum of already rounded amounts (``0.00`` for none)."""
    total = ZERO
    for amount in amounts:
        if amount != round_money(amount):
            raise ValueError(f"{amount} is not a whole number of cents")
        total += amount
    return total
