from decimal import Decimal

import pytest

from cart import Cart
from pricing import Catalog
from rules import BuyXGetYFree, PercentOff, SpendThreshold

CATALOG = Catalog.from_rows(
    [
        ("TS-1", "T-shirt", "15.00", "apparel"),
        ("SK-1", "Socks", "4.99", "apparel"),
        ("SH-1", "Running shoes", "89.99", "shoes"),
        ("SH-2", "Sandals", "34.50", "shoes"),
        ("CAP", "Cap", "12.00", "accessories"),
    ]
)

SHOES_20 = PercentOff(name="Shoes -20%", percent=Decimal("20"), category="shoes")
RUNNER_10 = PercentOff(name="Runner promo", percent=Decimal("10"), skus=frozenset({"SH-1"}))
TEE_SALE = PercentOff(name="Tee sale", percent=Decimal("10"), skus=frozenset({"TS-1"}))
MEMBER_5 = PercentOff(name="Member 5%", percent=Decimal("5"), category="apparel", stackable=True)
SOCKS_3_FOR_2 = BuyXGetYFree(name="Socks 3 for 2", sku="SK-1", buy=2)
COUPON_10 = SpendThreshold(name="10 off 100", threshold=Decimal("100"), amount_off=Decimal("10"))
COUPON_25 = SpendThreshold(name="25 off 200", threshold=Decimal("200"), amount_off=Decimal("25"))


def cart_with(*items):
    cart = Cart(CATALOG)
    for sku, quantity in items:
        cart.add(sku, quantity)
    return cart


def test_adding_the_same_sku_merges_lines():
    cart = cart_with(("CAP", 1), ("CAP", 2))
    assert [(line.product.sku, line.quantity) for line in cart.lines] == [("CAP", 3)]


def test_add_validation():
    cart = Cart(CATALOG)
    with pytest.raises(KeyError):
        cart.add("NOPE")
    with pytest.raises(ValueError):
        cart.add("CAP", 0)


def test_remove():
    cart = cart_with(("CAP", 3), ("TS-1", 1))
    cart.remove("CAP", 2)
    cart.remove("TS-1")
    assert [(line.product.sku, line.quantity) for line in cart.lines] == [("CAP", 1)]
    with pytest.raises(KeyError):
        cart.remove("TS-1")


def test_checkout_without_rules():
    receipt = cart_with(("CAP", 2), ("SK-1", 1)).checkout([])
    assert receipt.total == Decimal("28.99")
    assert receipt.savings == Decimal("0.00")


def test_category_discount():
    receipt = cart_with(("SH-1", 1), ("SH-2", 1), ("CAP", 1)).checkout([SHOES_20])
    assert [line.discount for line in receipt.lines] == [Decimal("18.00"), Decimal("6.90"), Decimal("0.00")]
    assert receipt.total == Decimal("111.59")


def test_promotions_do_not_combine_by_default():
    receipt = cart_with(("SH-1", 1)).checkout([RUNNER_10, SHOES_20])
    (line,) = receipt.lines
    assert line.discount == Decimal("18.00")
    assert line.promotions == ("Shoes -20%",)


def test_stackable_promotion_adds_on_top():
    receipt = cart_with(("TS-1", 2)).checkout([TEE_SALE, MEMBER_5])
    (line,) = receipt.lines
    assert line.discount == Decimal("4.50")
    assert line.promotions == ("Tee sale", "Member 5%")


def test_buy_two_get_one_free_in_cart():
    receipt = cart_with(("SK-1", 7)).checkout([SOCKS_3_FOR_2])
    assert receipt.total == Decimal("24.95")


def test_discount_never_exceeds_the_line():
    free_caps = PercentOff(name="Free caps", percent=Decimal("100"), category="accessories")
    extra = PercentOff(name="Extra", percent=Decimal("50"), skus=frozenset({"CAP"}), stackable=True)
    receipt = cart_with(("CAP", 1)).checkout([free_caps, extra])
    assert receipt.lines[0].discount == Decimal("12.00")
    assert receipt.total == Decimal("0.00")


def test_coupon_needs_the_threshold():
    receipt = cart_with(("CAP", 5), ("TS-1", 2), ("SK-1", 1)).checkout([COUPON_10])
    # 60.00 + 30.00 + 4.99 = 94.99: below the threshold
    assert receipt.coupons == ()
    receipt = cart_with(("CAP", 5), ("TS-1", 2), ("SH-2", 1)).checkout([SHOES_20, COUPON_10])
    # 60.00 + 30.00 + 34.50 - 6.90 = 117.60
    assert receipt.coupons == (("10 off 100", Decimal("10")),)
    assert receipt.total == Decimal("107.60")


def test_threshold_uses_discounted_subtotal():
    receipt = cart_with(("SH-1", 1), ("CAP", 1)).checkout([SHOES_20, COUPON_10])
    # 89.99 - 18.00 + 12.00 = 83.99
    assert receipt.coupons == ()


def test_only_the_best_coupon_applies():
    receipt = cart_with(("SH-1", 2), ("TS-1", 2)).checkout([COUPON_10, COUPON_25])
    assert receipt.coupons == (("25 off 200", Decimal("25")),)
    assert receipt.total == Decimal("184.98")


def test_render():
    receipt = cart_with(("SH-1", 1), ("SK-1", 3)).checkout([RUNNER_10, SHOES_20, SOCKS_3_FOR_2])
    assert receipt.render().splitlines() == [
        "SH-1 x1  $89.99",
        "  Shoes -20%  -$18.00",
        "SK-1 x3  $14.97",
        "  Socks 3 for 2  -$4.99",
        "TOTAL  $81.97",
    ]
