from decimal import Decimal

import pytest

from invoicing.money import format_amount, parse_amount, percent, round_money, sum_money


@pytest.mark.parametrize(
    "text, value",
    [
        ("12", Decimal("12.00")),
        ("1,234.5", Decimal("1234.50")),
        (" -0.07 ", Decimal("-0.07")),
        ("1000000.99", Decimal("1000000.99")),
    ],
)
def test_parse_amount(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1,23", "12.345", "1.2.3"])
def test_parse_amount_rejects(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_round_money():
    assert round_money(Decimal("2.344")) == Decimal("2.34")
    assert round_money(Decimal("2.346")) == Decimal("2.35")
    assert round_money(Decimal("-1.999")) == Decimal("-2.00")


def test_format_amount():
    assert format_amount(Decimal("1234.5")) == "1,234.50"
    assert format_amount(Decimal("-1234.5"), "EUR") == "-€1,234.50"
    assert format_amount(Decimal("7"), "CHF") == "7.00 CHF"


def test_percent():
    assert percent(Decimal("0.20")) == "20%"
    assert percent(Decimal("0.075")) == "7.5%"


def test_sum_money():
    assert sum_money([]) == Decimal("0.00")
    assert sum_money([Decimal("0.10"), Decimal("0.20")]) == Decimal("0.30")
    with pytest.raises(ValueError):
        sum_money([Decimal("0.105")])
