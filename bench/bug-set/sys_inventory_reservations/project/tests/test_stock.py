import pytest

from inventory import StockError, StockLedger


def test_receive_and_ship():
    ledger = StockLedger()
    assert ledger.receive("mug", 10) == 10
    assert ledger.ship("mug", 4) == 6
    assert ledger.on_hand("mug") == 6


def test_unknown_sku_has_nothing_on_hand():
    assert StockLedger().on_hand("ghost") == 0


def test_cannot_ship_more_than_on_hand():
    ledger = StockLedger()
    ledger.receive("mug", 2)
    with pytest.raises(StockError):
        ledger.ship("mug", 3)
    assert ledger.on_hand("mug") == 2


@pytest.mark.parametrize("quantity", [0, -3, 1.5])
def test_quantities_must_be_positive_integers(quantity):
    with pytest.raises(StockError):
        StockLedger().receive("mug", quantity)


def test_count_books_the_difference():
    ledger = StockLedger()
    ledger.receive("mug", 10)
    assert ledger.count("mug", 7) == -3
    assert ledger.count("mug", 7) == 0
    assert ledger.history("mug") == [(10, "receive"), (-3, "count")]


def test_skus_lists_only_stocked_items():
    ledger = StockLedger()
    ledger.receive("b", 1)
    ledger.receive("a", 1)
    ledger.receive("c", 1)
    ledger.ship("c", 1)
    assert ledger.skus() == ["a", "b"]


def test_write_off():
    ledger = StockLedger()
    ledger.receive("mug", 4)
    ledger.receive("tea", 2)
    assert ledger.write_off("mug", 1, reason="broken") == 3
    with pytest.raises(StockError):
        ledger.write_off("mug", 5)
    assert ledger.history("mug")[-1] == (-1, "write-off: broken")
    assert ledger.total_units() == 5
