from decimal import Decimal

import pytest

from money import ExchangeRates, format_money, from_minor, quantum, round_to_currency, to_minor


def test_quantum():
    assert quantum("EUR") == Decimal("0.01")
    assert quantum("JPY") == Decimal("1")
    assert quantum("KWD") == Decimal("0.001")


def test_unknown_currency():
    with pytest.raises(ValueError):
        quantum("XYZ")


def test_round_to_currency_half_up():
    assert round_to_currency(Decimal("2.675"), "EUR") == Decimal("2.68")
    assert round_to_currency(Decimal("1234.5"), "JPY") == Decimal("1235")
    assert round_to_currency(Decimal("-0.0125"), "KWD") == Decimal("-0.013")


@pytest.mark.parametrize(
    "amount, currency, units",
    [(Decimal("12.34"), "EUR", 1234), (Decimal("500"), "JPY", 500), (Decimal("-1.5"), "KWD", -1500)],
)
def test_minor_units_round_trip(amount, currency, units):
    assert to_minor(amount, currency) == units
    assert from_minor(units, currency) == amount


def test_to_minor_refuses_fractions_of_a_cent():
    with pytest.raises(ValueError):
        to_minor(Decimal("0.125"), "EUR")


def test_rates_in_both_directions():
    rates = ExchangeRates({("EUR", "USD"): Decimal("1.25")})
    assert rates.rate("EUR", "USD") == Decimal("1.25")
    assert rates.rate("USD", "EUR") == Decimal("0.8")
    assert rates.rate("GBP", "GBP") == Decimal("1")
    with pytest.raises(LookupError):
        rates.rate("EUR", "JPY")


def test_convert_rounds_to_target_currency():
    rates = ExchangeRates({("EUR", "JPY"): Decimal("162.37"), ("EUR", "USD"): Decimal("1.085")})
    assert rates.convert(Decimal("10.00"), "EUR", "JPY") == Decimal("1624")
    assert rates.convert(Decimal("100.00"), "USD", "EUR") == Decimal("92.17")


def test_rates_must_be_positive():
    with pytest.raises(ValueError):
        ExchangeRates({("EUR", "USD"): Decimal("0")})


def test_format_money():
    assert format_money(Decimal("1234.5"), "EUR") == "1,234.50 EUR"
    assert format_money(Decimal("1234.5"), "JPY") == "1,235 JPY"
    assert format_money(Decimal("-0.125"), "KWD") == "-0.125 KWD"
