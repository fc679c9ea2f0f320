from decimal import Decimal

import pytest

from money import ExchangeRates
from splitbill import Bill, Item, settle, shares, shares_in_home_currency, subtotals

RATES = ExchangeRates(
    {
        ("EUR", "JPY"): Decimal("162.37"),
        ("GBP", "EUR"): Decimal("1.17"),
        ("EUR", "USD"): Decimal("1.085"),
        ("USD", "JPY"): Decimal("149.68"),
    }
)


@pytest.fixture
def dinner():
    bill = Bill("EUR", tax_rate=Decimal("0.10"), tip_rate=Decimal("0.15"))
    bill.add("pizza", "24.00", "ana", "ben", "cy")
    bill.add("wine", "31.00", "ana", "ben")
    bill.add("salad", "9.50", "cy")
    return bill


def test_totals(dinner):
    assert dinner.subtotal == Decimal("64.50")
    assert dinner.tax == Decimal("6.45")
    assert dinner.tip == Decimal("9.68")
    assert dinner.total == Decimal("80.63")


def test_people_in_order_of_appearance(dinner):
    assert dinner.people() == ["ana", "ben", "cy"]


def test_subtotals(dinner):
    assert subtotals(dinner) == {"ana": 2350, "ben": 2350, "cy": 1750}


def test_shares_add_up_to_total(dinner):
    result = shares(dinner)
    assert result == {"ana": Decimal("29.38"), "ben": Decimal("29.38"), "cy": Decimal("21.87")}
    assert sum(result.values()) == dinner.total


def test_item_validation():
    with pytest.raises(ValueError):
        Item("bread", Decimal("3"), ())
    with pytest.raises(ValueError):
        Item("bread", Decimal("3"), ("ana", "ana"))


def test_empty_bill():
    assert shares(Bill("EUR")) == {}


def test_settle(dinner):
    balances = settle(dinner, {"ana": Decimal("50.00"), "cy": Decimal("30.63")})
    assert balances == {"ana": Decimal("20.62"), "ben": Decimal("-29.38"), "cy": Decimal("8.76")}
    assert sum(balances.values()) == 0


def test_settle_needs_exact_payments(dinner):
    with pytest.raises(ValueError):
        settle(dinner, {"ana": Decimal("80.00")})


def test_home_currency_defaults_to_the_bill(dinner):
    assert shares_in_home_currency(dinner, {}, RATES) == shares(dinner)


def test_shares_in_home_currencies(dinner):
    assert shares_in_home_currency(dinner, {"ben": "JPY", "cy": "GBP"}, RATES) == {
        "ana": Decimal("29.38"),
        "ben": Decimal("4770"),
        "cy": Decimal("18.69"),
    }


def test_yen_bill_paid_from_abroad():
    bill = Bill("JPY").add("ramen", "2400", "dee", "eli").add("gyoza", "600", "eli")
    assert shares_in_home_currency(bill, {"dee": "USD", "eli": "JPY"}, RATES) == {
        "dee": Decimal("8.02"),
        "eli": Decimal("1800"),
    }
