from decimal import Decimal

import pytest

from pricing import Catalog, Product, format_price, parse_price, percent_of


@pytest.mark.parametrize("text, value", [("12.5", "12.50"), (" 0 ", "0.00"), ("1999.99", "1999.99")])
def test_parse_price(text, value):
    assert parse_price(text) == Decimal(value)


@pytest.mark.parametrize("text", ["-1", "abc", "1.005", "NaN", ""])
def test_parse_price_rejects(text):
    with pytest.raises(ValueError):
        parse_price(text)


def test_percent_of_rounds_half_up():
    assert percent_of(Decimal("34.50"), Decimal("20")) == Decimal("6.90")
    assert percent_of(Decimal("0.10"), Decimal("5")) == Decimal("0.01")


def test_format_price():
    assert format_price(Decimal("1234.5")) == "$1,234.50"
    assert format_price(Decimal("-3")) == "-$3.00"


def test_catalog():
    catalog = Catalog.from_rows([("A", "Apple", "0.40", "fruit"), ("B", "Banana", "0.25", "fruit")])
    assert catalog.get("B").price == Decimal("0.25")
    assert "A" in catalog
    assert [p.sku for p in catalog.in_category("fruit")] == ["A", "B"]


def test_catalog_rejects_duplicates_and_unknown_skus():
    catalog = Catalog([Product("A", "Apple", Decimal("0.40"), "fruit")])
    with pytest.raises(ValueError):
        catalog.add(Product("A", "Avocado", Decimal("1.20"), "fruit"))
    with pytest.raises(KeyError):
        catalog.get("Z")
