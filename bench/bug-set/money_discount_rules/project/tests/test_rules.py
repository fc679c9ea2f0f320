from decimal import Decimal

import pytest

from cart import Line
from pricing import Product
from rules import BuyXGetYFree, PercentOff, SpendThreshold, best

SHOES = Product("SH-1", "Running shoes", Decimal("89.99"), "shoes")
SOCKS = Product("SK-1", "Socks", Decimal("4.99"), "apparel")


def test_percent_off_by_category():
    rule = PercentOff(name="Shoes -20%", percent=Decimal("20"), category="shoes")
    assert rule.line_discount(Line(SHOES, 2)) == Decimal("36.00")
    assert rule.line_discount(Line(SOCKS, 2)) == Decimal("0.00")


def test_percent_off_by_sku():
    rule = PercentOff(name="Socks promo", percent=Decimal("12.5"), skus=frozenset({"SK-1"}))
    assert rule.line_discount(Line(SOCKS, 3)) == Decimal("1.87")


@pytest.mark.parametrize("percent", ["0", "-5", "100.01"])
def test_percent_must_be_sensible(percent):
    with pytest.raises(ValueError):
        PercentOff(name="x", percent=Decimal(percent), category="shoes")


def test_percent_off_needs_a_target():
    with pytest.raises(ValueError):
        PercentOff(name="x", percent=Decimal("5"))


@pytest.mark.parametrize("quantity, free_units", [(2, 0), (3, 1), (7, 2)])
def test_buy_two_get_one_free(quantity, free_units):
    rule = BuyXGetYFree(name="3 for 2", sku="SK-1", buy=2)
    assert rule.line_discount(Line(SOCKS, quantity)) == SOCKS.price * free_units


def test_buy_x_get_y_other_products_unaffected():
    rule = BuyXGetYFree(name="3 for 2", sku="SK-1", buy=2)
    assert rule.line_discount(Line(SHOES, 3)) == Decimal("0.00")


def test_spend_threshold_is_inclusive():
    coupon = SpendThreshold(name="10 off 100", threshold=Decimal("100"), amount_off=Decimal("10"))
    assert coupon.order_discount(Decimal("99.99")) == Decimal("0.00")
    assert coupon.order_discount(Decimal("100.00")) == Decimal("10")


def test_spend_threshold_never_exceeds_the_order():
    coupon = SpendThreshold(name="free", threshold=Decimal("0"), amount_off=Decimal("10"))
    assert coupon.order_discount(Decimal("4.00")) == Decimal("4.00")


def test_best_prefers_largest_then_first():
    assert best([(Decimal("5"), "a"), (Decimal("7"), "b"), (Decimal("7"), "c")]) == (Decimal("7"), "b")
    assert best([(Decimal("0"), "a")]) is None
