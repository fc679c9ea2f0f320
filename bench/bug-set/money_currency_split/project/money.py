"""Currencies, minor units and exchange rates.

Amounts are :class:`decimal.Decimal` in major units (euros, yen); code that
must not lose a cent works in integer *minor units* (cents, fils) instead.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

#: Number of decimal places of each currency's minor unit (ISO 4217).
EXPONENTS = {"EUR": 2, "USD": 2, "GBP": 2, "CHF": 2, "JPY": 0, "KWD": 3}


def exponent(currency: str) -> int:
    try:
        return EXPONENTS[currency]
    except KeyError:
        raise ValueError(f"unknown currency {currency!r}") from None


def quantum(currency: str) -> Decimal:
    """Smallest amount of ``currency``: ``0.01`` for EUR, ``1`` for JPY."""
    return Decimal(1).scaleb(-exponent(currency))


def round_to_currency(amount: Decimal, currency: str) -> Decimal:
    """Round half-up to the currency's minor unit."""
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def to_minor(amount: Decimal, currency: str) -> int:
    """``Decimal("12.34")`` EUR -> ``1234``; refuses amounts below the minor unit."""
    scaled = amount.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} {currency} has more than {exponent(currency)} decimals")
    return int(scaled)


def from_minor(units: int, currency: str) -> Decimal:
    """``1234`` EUR -> ``Decimal("12.34")``."""
    return Decimal(units).scaleb(-exponent(currency)).quantize(quantum(currency))


class ExchangeRates:
    """Quoted rates, usable in both directions.

    ``ExchangeRates({("EUR", "USD"): Decimal("1.08")})`` means 1 EUR buys
    1.08 USD; converting USD to EUR divides by the same quote.
    """

    def __init__(self, quotes: dict[tuple[str, str], Decimal]) -> None:
        for (source, target), rate in quotes.items():
            exponent(source)
            exponent(target)
            if rate <= 0:
                raise ValueError(f"rate {source}/{target} must be positive")
        self.quotes = dict(quotes)

    def rate(self, source: str, target: str) -> Decimal:
        """Units of ``target`` for one unit of ``source``."""
        if source == target:
            return Decimal(1)
        if (source, target) in self.quotes:
            return self.quotes[(source, target)]
        if (target, source) in self.quotes:
            return 1 / self.quotes[(target, source)]
        raise LookupError(f"no rate between {source} and {target}")

    def convert(self, amount: Decimal, source: str, target: str) -> Decimal:
        """``amount`` of ``source`` in ``target``, rounded to ``target``'s minor unit."""
        return round_to_currency(amount * self.rate(source, target), target)


def format_money(amount: Decimal, currency: str) -> str:
    """``"1,234.50 EUR"``, ``"1,235 JPY"``, ``"-0.125 KWD"``."""
    value = round_to_currency(amount, currency)
    places = exponent(currency)
    return f"{value:,.{places}f} {currency}"
