import pytest

from inventory import (
    Fulfillment,
    InsufficientStock,
    ReservationExpired,
    StockLedger,
    UnknownOrder,
)


@pytest.fixture
def shop():
    ledger = StockLedger()
    ledger.receive("mug", 5)
    ledger.receive("tea", 20)
    return Fulfillment(ledger, hold_seconds=600)


def test_placing_an_order_holds_stock(shop):
    shop.place("o1", {"mug": 2, "tea": 3}, now=0)
    assert shop.book.available("mug", 0) == 3
    assert shop.book.available("tea", 0) == 17
    assert shop.ledger.on_hand("mug") == 5


def test_order_for_all_remaining_units(shop):
    shop.place("o1", {"mug": 2}, now=0)
    shop.place("o2", {"mug": 3}, now=1)
    assert shop.book.available("mug", 1) == 0
    with pytest.raises(InsufficientStock):
        shop.place("o3", {"mug": 1}, now=2)


def test_order_too_large_is_refused(shop):
    with pytest.raises(InsufficientStock) as info:
        shop.place("o1", {"mug": 6}, now=0)
    assert (info.value.sku, info.value.wanted, info.value.available) == ("mug", 6, 5)


def test_failed_order_releases_earlier_lines(shop):
    with pytest.raises(InsufficientStock):
        shop.place("o1", {"tea": 4, "mug": 9}, now=0)
    assert shop.book.available("tea", 0) == 20
    assert shop.book.for_order("o1") == []


def test_ship_consumes_holds_and_stock(shop):
    shop.place("o1", {"mug": 2, "tea": 3}, now=0)
    assert shop.ship("o1", now=100) == {"mug": 2, "tea": 3}
    assert shop.ledger.on_hand("mug") == 3
    assert shop.book.available("mug", 100) == 3
    assert shop.shipped == ["o1"]


def test_ship_whole_stock(shop):
    shop.place("o1", {"mug": 5}, now=0)
    shop.ship("o1", now=10)
    assert shop.ledger.on_hand("mug") == 0
    assert shop.ledger.skus() == ["tea"]


def test_holds_lapse_after_hold_period(shop):
    shop.place("o1", {"mug": 4}, now=0)
    assert shop.book.available("mug", 599) == 1
    assert shop.book.available("mug", 600) == 5
    with pytest.raises(ReservationExpired):
        shop.ship("o1", now=600)


def test_lapsed_stock_can_be_sold_again(shop):
    shop.place("o1", {"mug": 4}, now=0)
    shop.place("o2", {"mug": 5}, now=700)
    assert shop.sweep(now=700) == ["o1"]
    assert shop.book.available("mug", 700) == 0


def test_sweep_cancels_lapsed_orders_only(shop):
    shop.place("o1", {"tea": 1}, now=0)
    shop.place("o2", {"tea": 1}, now=300)
    assert shop.sweep(now=650) == ["o1"]
    with pytest.raises(UnknownOrder):
        shop.ship("o1", now=650)
    shop.ship("o2", now=650)


def test_cancel_returns_stock(shop):
    shop.place("o1", {"mug": 3}, now=0)
    shop.cancel("o1")
    assert shop.book.available("mug", 0) == 5
    with pytest.raises(UnknownOrder):
        shop.cancel("o1")


def test_duplicate_order_id(shop):
    shop.place("o1", {"tea": 1}, now=0)
    with pytest.raises(ValueError):
        shop.place("o1", {"tea": 1}, now=0)


def test_topping_up_a_hold_restarts_its_timer(shop):
    shop.place("o1", {"tea": 2}, now=0)
    shop.book.reserve("o1", "tea", 3, now=500, hold=600)
    assert shop.book.reserved("tea", 900) == 5
    assert shop.book.reserved("tea", 1100) == 0


def test_shortfall_report(shop):
    shop.place("o1", {"mug": 4}, now=0)
    assert shop.shortfall({"mug": 3, "tea": 20, "cup": 2}, now=0) == {"mug": 2, "cup": 2}


def test_count_reducing_stock_below_holds(shop):
    shop.place("o1", {"mug": 4}, now=0)
    shop.ledger.count("mug", 3)
    assert shop.book.available("mug", 0) == 0
    assert shop.shortfall({"mug": 1}, now=0) == {"mug": 1}
