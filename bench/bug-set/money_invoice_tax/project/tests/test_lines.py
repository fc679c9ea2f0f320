from decimal import Decimal

import pytest

from invoicing.lines import LineItem


def test_gross_net_and_vat():
    line = LineItem.of("Consulting", "3", "120.00")
    assert line.gross == Decimal("360.00")
    assert line.net == Decimal("360.00")
    assert line.vat == Decimal("72.00")
    assert line.total == Decimal("432.00")


def test_fractional_quantity():
    line = LineItem.of("Cable (m)", "2.5", "3.99")
    assert line.gross == Decimal("9.98")  # 9.975 rounds up


def test_discount_is_taken_before_vat():
    line = LineItem.of("Licence", "4", "50.00", discount="0.25")
    assert line.discount_amount == Decimal("50.00")
    assert line.net == Decimal("150.00")
    assert line.vat == Decimal("30.00")


def test_discount_rounds_half_up():
    line = LineItem.of("Training", "1", "199.90", discount="0.15")
    assert line.discount_amount == Decimal("29.99")  # 29.985
    assert line.net == Decimal("169.91")


def test_reduced_vat_rounds_half_up():
    line = LineItem.of("Cake", "1", "12.50", "reduced")
    assert line.vat == Decimal("0.63")  # 0.625


def test_zero_rated_line():
    line = LineItem.of("Newspaper", "1", "3.20", "zero")
    assert line.vat == Decimal("0.00")
    assert line.total == Decimal("3.20")


@pytest.mark.parametrize(
    "args",
    [
        ("x", "0", "1.00"),
        ("x", "1", "-1.00"),
        ("x", "1", "1.00", "luxury"),
        ("x", "1", "1.00", "standard", "1.5"),
    ],
)
def test_invalid_lines(args):
    with pytest.raises(ValueError):
        LineItem.of(*args)


def test_describe():
    assert LineItem.of("Cable (m)", "2.50", "3.99").describe() == "Cable (m) x2.5 @ 3.99"
